import { compileProcedureCall, type ProcedureCall } from '@triport/procedure-call';
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import type { RestMethod, RestProcedureMeta, RestRouteMeta } from '../types.ts';
import { buildCoercer, type Coercer } from './query.ts';
import { type ConvertedSchema, convertSchemas, inputIsOptional, objectSchemaOf } from './json-schema.ts';

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose input comes from the query string rather than a body. */
export const QUERY_METHODS: ReadonlySet<string> = new Set(['GET', 'DELETE']);


export interface CompiledRoute {
  procedurePath: string;
  /** Runs the procedure the way tRPC's own caller does (middlewares, input and output parsers). */
  call: ProcedureCall;
  type: 'query' | 'mutation';
  meta: RestProcedureMeta;
  rest: RestRouteMeta;
  method: RestMethod;
  /** Path template relative to the base, e.g. `/notes/{id}`. */
  template: string;
  /** Names of the path parameters in order. */
  pathParams: string[];
  input: ConvertedSchema | undefined;
  output: ConvertedSchema | undefined;
  /** Whether the input is an object whose fields can come from path, query and headers. */
  objectInput: boolean;
  /** No input at all is valid (`undefined` passes the input parsers). */
  optionalInput: boolean;
  /** Coercers of every top-level input field (object inputs only). */
  fields: ReadonlyMap<string, Coercer>;
  /** Fields that may come from the query string (GET/DELETE: all but path and header fields). */
  queryFields: ReadonlyMap<string, Coercer>;
  /** lower-case request header → input field. */
  headerFields: ReadonlyMap<string, string>;
  successStatus: 200 | 201 | 204;
}

interface Node {
  statics: Map<string, Node>;
  param: Node | undefined;
  routes: Map<string, CompiledRoute> | undefined;
}

function newNode(): Node {
  return { statics: new Map(), param: undefined, routes: undefined };
}

export interface RouteTable {
  routes: CompiledRoute[];
  root: Node;
}

function fail(procedurePath: string, message: string): never {
  throw new Error(`@triport/rest: procedure "${procedurePath}": ${message}`);
}

const PARAM = /^\{([A-Za-z_$][A-Za-z0-9_$]*)\}$/;
const STATIC = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]+$/;

function compileRoute(procedurePath: string, procedure: AnyTRPCProcedure): CompiledRoute | undefined {
  const def = procedure._def as unknown as {
    type: string;
    meta?: RestProcedureMeta;
    inputs?: unknown[];
    output?: unknown;
  };
  const meta = def.meta;
  const rest = meta?.rest;
  if (!rest) return undefined;
  if (def.type !== 'query' && def.type !== 'mutation') fail(procedurePath, 'subscriptions cannot be REST routes');
  if (!METHODS.has(rest.method)) fail(procedurePath, `unsupported method ${String(rest.method)}`);
  if (!rest.path.startsWith('/')) fail(procedurePath, `path "${rest.path}" must start with "/"`);
  const pathParams: string[] = [];
  for (const segment of rest.path.split('/').slice(1)) {
    const param = PARAM.exec(segment);
    if (param) pathParams.push(param[1]!);
    else if (!STATIC.test(segment)) fail(procedurePath, `invalid path segment "${segment}"`);
  }
  const inputs = def.inputs ?? [];
  const input = convertSchemas(inputs, 'input');
  const output = def.output === undefined ? undefined : convertSchemas([def.output], 'output');
  const objectSchema = input ? objectSchemaOf(input.schema, input.defs) : undefined;
  const fields = new Map<string, Coercer>();
  if (objectSchema && input) {
    for (const [name, prop] of Object.entries((objectSchema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      fields.set(name, buildCoercer(prop, input.defs));
    }
  }
  const headerFields = new Map<string, string>();
  for (const [header, field] of Object.entries(rest.headers ?? {})) headerFields.set(header.toLowerCase(), field);
  for (const name of [...pathParams, ...headerFields.values()]) {
    if (!fields.has(name)) fail(procedurePath, `"${name}" (path parameter or header) is not a field of the input object`);
  }
  const queryFields = new Map<string, Coercer>();
  if (QUERY_METHODS.has(rest.method)) {
    const taken = new Set<string>([...pathParams, ...headerFields.values()]);
    for (const [name, coercer] of fields) if (!taken.has(name)) queryFields.set(name, coercer);
  }
  if (QUERY_METHODS.has(rest.method) && input && !objectSchema) {
    fail(procedurePath, `${rest.method} routes need an object input (its fields become query parameters)`);
  }
  if (rest.pagination && !fields.has(rest.pagination.cursorParam)) {
    fail(procedurePath, `pagination cursor "${rest.pagination.cursorParam}" is not an input field`);
  }
  return {
    procedurePath,
    call: compileProcedureCall(procedure),
    type: def.type as 'query' | 'mutation',
    meta: meta!,
    rest,
    method: rest.method,
    template: rest.path,
    pathParams,
    input,
    output,
    objectInput: objectSchema !== undefined,
    optionalInput: inputIsOptional(inputs),
    fields,
    queryFields,
    headerFields,
    successStatus: rest.successStatus ?? 200,
  };
}

/**
 * Builds the route table once: every procedure with `meta.rest`, in a trie keyed by path segment.
 * Throws on a duplicate method + path or a meta that contradicts the input schema, so mistakes
 * surface at startup rather than on the first request.
 */
export function compileRoutes(router: AnyTRPCRouter): RouteTable {
  const root = newNode();
  const routes: CompiledRoute[] = [];
  const lazy = Object.keys((router._def as { lazy?: Record<string, unknown> }).lazy ?? {});
  if (lazy.length > 0) {
    // Routes are compiled once, synchronously; a lazy sub-router would be invisible until loaded.
    throw new Error(`@triport/rest: lazy routers are not supported (${lazy.join(', ')}); import them eagerly.`);
  }
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  for (const procedurePath of Object.keys(procedures).sort()) {
    const route = compileRoute(procedurePath, procedures[procedurePath]!);
    if (!route) continue;
    let node = root;
    for (const segment of route.template.split('/').slice(1)) {
      if (PARAM.test(segment)) {
        node.param ??= newNode();
        node = node.param;
      } else {
        let next = node.statics.get(segment);
        if (!next) {
          next = newNode();
          node.statics.set(segment, next);
        }
        node = next;
      }
    }
    node.routes ??= new Map();
    const clash = node.routes.get(route.method);
    if (clash) fail(procedurePath, `${route.method} ${route.template} is already bound to "${clash.procedurePath}"`);
    node.routes.set(route.method, route);
    routes.push(route);
  }
  return { routes, root };
}

/**
 * Finds the node for decoded path segments: static segments win over parameters; the first node
 * that has routes is the match (its methods decide between the route and 405).
 */
export function matchPath(
  node: Node,
  segments: readonly string[],
  index: number,
  params: string[],
): Map<string, CompiledRoute> | undefined {
  if (index === segments.length) return node.routes;
  const segment = segments[index]!;
  const staticNode = node.statics.get(segment);
  if (staticNode) {
    const found = matchPath(staticNode, segments, index + 1, params);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    params.push(segment);
    const found = matchPath(node.param, segments, index + 1, params);
    if (found) return found;
    params.pop();
  }
  return undefined;
}

/** `Allow` header value for a node's routes (HEAD with GET, OPTIONS always). */
export function allowHeader(routes: Map<string, CompiledRoute>): string {
  const methods: string[] = [];
  for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    if (routes.has(method === 'HEAD' ? 'GET' : method)) methods.push(method);
  }
  methods.push('OPTIONS');
  return methods.join(', ');
}
