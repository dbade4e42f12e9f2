import type { AnyTRPCRouter } from '@trpc/server';
import { DEFAULT_PROBLEM_TYPE_BASE, problemKindForStatus } from './problem.ts';
import type { OpenApiDocumentOptions } from './types.ts';
import type { JsonSchema } from './internal/json-schema.ts';
import { objectSchemaOf } from './internal/json-schema.ts';
import { type CompiledRoute, compileRoutes, QUERY_METHODS } from './internal/routes.ts';

type Obj = Record<string, unknown>;

/** An OpenAPI 3.1 document (the fields this generator writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, Obj>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Obj>;
    headers: Record<string, Obj>;
    parameters: Record<string, Obj>;
    securitySchemes: Record<string, Obj>;
  };
}

const ERROR_RESPONSES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'ValidationFailed',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: invalid JSON or UTF-8, unknown or repeated query parameter, conflicting input sources.',
  401: 'Missing or invalid credentials.',
  403: 'Authenticated but not allowed.',
  404: 'No such resource.',
  406: 'The Accept header excludes JSON.',
  409: 'The request conflicts with the current state.',
  413: 'The request body is larger than the limit.',
  415: 'The request body is not application/json (UTF-8).',
  422: 'The input is well-formed but invalid; `errors` lists each field.',
  429: 'Rate limit exceeded; retry after `Retry-After` seconds.',
  500: 'Unexpected error; nothing internal is disclosed. Quote `requestId`.',
  503: 'Temporarily unavailable; retry after `Retry-After` seconds.',
};

function pascal(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Rewrites `#/$defs/X` refs with `rename` (schemas are developer-written, so recursion is bounded). */
function rewriteRefs(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename));
  if (typeof value !== 'object' || value === null) return value;
  const out: Obj = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')) {
      out[key] = `#/components/schemas/${rename(child.slice('#/$defs/'.length))}`;
    } else out[key] = rewriteRefs(child, rename);
  }
  return out;
}

class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly byContent = new Map<string, string>();

  /** Follows a `#/components/schemas/X` ref once (for examples). */
  resolve(schema: JsonSchema): JsonSchema {
    const target = typeof schema.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
    return (target && this.schemas[target]) || schema;
  }

  /** Adds a conversion's `$defs` and returns the renaming function for its refs. */
  hoist(defs: Record<string, JsonSchema>, owner: string, io: 'input' | 'output'): (name: string) => string {
    const names = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      const content = `${name}\u0000${JSON.stringify(def)}`;
      const known = this.byContent.get(content);
      if (known) {
        names.set(name, known);
        continue;
      }
      const base = name.startsWith('__') ? `${owner}${pascal(io)}${pascal(name)}` : name;
      let candidate = base;
      if (candidate in this.schemas) candidate = `${base}${io === 'input' ? 'Input' : 'Output'}`;
      for (let n = 2; candidate in this.schemas; n++) candidate = `${base}${n}`;
      this.schemas[candidate] = {};
      this.byContent.set(content, candidate);
      names.set(name, candidate);
    }
    const rename = (name: string) => names.get(name) ?? name;
    for (const [name, def] of Object.entries(defs)) {
      const target = names.get(name)!;
      if (Object.keys(this.schemas[target]!).length === 0) this.schemas[target] = rewriteRefs(def, rename) as JsonSchema;
    }
    return rename;
  }
}

function ref(kind: string, name: string): Obj {
  return { $ref: `#/components/${kind}/${name}` };
}

function firstExample(schema: JsonSchema): unknown {
  return Array.isArray(schema.examples) && schema.examples.length > 0 ? schema.examples[0] : undefined;
}

function describeParameter(name: string, location: string, schema: JsonSchema, required: boolean): Obj {
  const parameter: Obj = { name, in: location, required, schema };
  if (typeof schema.description === 'string') parameter.description = schema.description;
  if (schema.deprecated === true) parameter.deprecated = true;
  if (location === 'query') {
    const type = schema.type;
    if (type === 'object') {
      parameter.style = 'deepObject';
      parameter.explode = true;
    } else if (type === 'array') {
      parameter.style = 'form';
      parameter.explode = true;
    }
  }
  return parameter;
}

function operationFor(route: CompiledRoute, registry: SchemaRegistry): Obj {
  const rest = route.rest;
  const base = pascal(route.procedurePath);
  const operation: Obj = { operationId: route.procedurePath };
  if (rest.summary) operation.summary = rest.summary;
  const access = route.meta.access;
  const descriptionParts = [rest.description, access === 'admin' ? 'Requires the admin role.' : undefined];
  const description = descriptionParts.filter(Boolean).join('\n\n');
  if (description) operation.description = description;
  if (rest.tags?.length) operation.tags = rest.tags;
  if (rest.deprecated) operation.deprecated = true;
  if (access === 'public') operation.security = [];
  else if (access === 'user' || access === 'admin') operation.security = [{ bearerAuth: [] }, { cookieAuth: [] }];
  if (access) operation['x-access'] = access;

  const parameters: Obj[] = [];
  let bodySchema: JsonSchema | undefined;
  let bodyRequired = false;
  if (route.input) {
    const rename = registry.hoist(route.input.defs, base, 'input');
    const objectSchema = objectSchemaOf(route.input.schema, route.input.defs);
    const properties = (objectSchema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((objectSchema?.required as string[] | undefined) ?? []);
    const propSchema = (name: string) => rewriteRefs(properties[name] ?? {}, rename) as JsonSchema;
    for (const name of route.pathParams) parameters.push(describeParameter(name, 'path', propSchema(name), true));
    for (const [header, field] of route.headerFields) {
      parameters.push(describeParameter(header, 'header', propSchema(field), required.has(field) && !route.optionalInput));
    }
    if (QUERY_METHODS.has(route.method)) {
      for (const name of route.queryFields.keys()) {
        parameters.push(describeParameter(name, 'query', propSchema(name), required.has(name) && !route.optionalInput));
      }
    } else if (objectSchema) {
      const taken = new Set<string>([...route.pathParams, ...route.headerFields.values()]);
      const bodyProps: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(properties)) if (!taken.has(name)) bodyProps[name] = schema;
      const { properties: _p, required: _r, ...restOfObject } = objectSchema;
      const bodyRequiredProps = [...required].filter((name) => !taken.has(name));
      if (Object.keys(bodyProps).length > 0 || objectSchema.additionalProperties !== false) {
        bodySchema = rewriteRefs(
          { ...restOfObject, properties: bodyProps, ...(bodyRequiredProps.length ? { required: bodyRequiredProps } : {}) },
          rename,
        ) as JsonSchema;
        bodyRequired = !route.optionalInput && bodyRequiredProps.length > 0;
      }
    } else {
      bodySchema = rewriteRefs(route.input.schema, rename) as JsonSchema;
      bodyRequired = !route.optionalInput;
    }
  }
  if (route.method === 'GET') parameters.push(ref('parameters', 'IfNoneMatch'));
  if (parameters.length > 0) operation.parameters = parameters;
  if (bodySchema) {
    // Inline, not in components: a body is used once, and generators (openapi-typescript) only
    // keep defaulted fields optional when the schema sits under `requestBody`.
    const media: Obj = { schema: bodySchema };
    const example = firstExample(registry.resolve(bodySchema));
    if (example !== undefined) media.example = example;
    operation.requestBody = { required: bodyRequired, content: { 'application/json': media } };
  }

  const responses: Obj = {};
  const successHeaders: Obj = {
    'X-Request-Id': ref('headers', 'X-Request-Id'),
    RateLimit: ref('headers', 'RateLimit'),
    'RateLimit-Policy': ref('headers', 'RateLimit-Policy'),
    'Cache-Control': ref('headers', 'Cache-Control'),
  };
  if (route.method === 'GET') successHeaders.ETag = ref('headers', 'ETag');
  if (rest.pagination && route.method === 'GET') successHeaders.Link = ref('headers', 'Link');
  if (route.successStatus === 201 && rest.location) successHeaders.Location = ref('headers', 'Location');
  const success: Obj = {
    description: route.successStatus === 201 ? 'Created' : route.successStatus === 204 ? 'No content' : 'OK',
    headers: successHeaders,
  };
  if (route.successStatus !== 204) {
    let outputSchema: JsonSchema = {};
    if (route.output) {
      const rename = registry.hoist(route.output.defs, base, 'output');
      outputSchema = rewriteRefs(route.output.schema, rename) as JsonSchema;
    }
    // An output that is exactly a named schema (`Note`) is referenced directly, not aliased.
    const direct = typeof outputSchema.$ref === 'string' && Object.keys(outputSchema).length === 1;
    if (!direct) registry.schemas[`${base}Output`] = outputSchema;
    const media: Obj = { schema: direct ? outputSchema : ref('schemas', `${base}Output`) };
    const example = firstExample(registry.resolve(outputSchema));
    if (example !== undefined) media.example = example;
    success.content = { 'application/json': media };
  }
  responses[String(route.successStatus)] = success;
  if (route.method === 'GET') {
    responses['304'] = { description: 'Not modified (the `If-None-Match` ETag is current).', headers: { ETag: ref('headers', 'ETag') } };
  }
  // 401 everywhere: credentials that are sent are checked on every route, public ones included.
  const statuses = new Set<number>([400, 401, 406, 429, 500, 503]);
  if (route.input) statuses.add(422);
  if (access === 'user' || access === 'admin') statuses.add(403);
  if (route.pathParams.length > 0) statuses.add(404);
  for (const status of rest.errorStatuses ?? []) statuses.add(status);
  if (route.type === 'mutation') statuses.add(409);
  if (!QUERY_METHODS.has(route.method)) {
    statuses.add(413);
    statuses.add(415);
  }
  for (const status of [...statuses].sort((a, b) => a - b)) responses[String(status)] = ref('responses', ERROR_RESPONSES[status]!);
  operation.responses = responses;
  return operation;
}

function problemExample(status: number, typeBase: string): Obj {
  const kind = problemKindForStatus(status);
  const example: Obj = {
    type: typeBase + kind.slug,
    title: kind.title,
    status,
    detail: ERROR_DESCRIPTIONS[status],
    instance: '/rest/v1/…',
    requestId: '01J9ZX5Q3K8M2N4P6R8T0V2X4Z',
  };
  if (status === 422) {
    example.errors = [{ pointer: '/title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' }];
  }
  return example;
}

function components(sessionCookieName: string, typeBase: string): Omit<OpenApiDocument['components'], 'schemas'> {
  const headers: Record<string, Obj> = {
    'X-Request-Id': { description: 'Request id; also in every problem body.', schema: { type: 'string' } },
    RateLimit: { description: 'Current rate-limit state (IETF draft), e.g. `"default";r=49;t=30`.', schema: { type: 'string' } },
    'RateLimit-Policy': { description: 'Rate-limit policy (IETF draft), e.g. `"default";q=50;w=60`.', schema: { type: 'string' } },
    'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
    ETag: { description: 'Strong entity tag of the response body; send it back in `If-None-Match`.', schema: { type: 'string' } },
    'Cache-Control': { description: 'Caching policy: from the route for public reads, `private, no-store` otherwise.', schema: { type: 'string' } },
    Link: { description: 'Pagination: `<url>; rel="next"` when there is a next page.', schema: { type: 'string' } },
    Location: { description: 'URL of the created resource.', schema: { type: 'string', format: 'uri-reference' } },
    'WWW-Authenticate': { description: 'Authentication challenge, `Bearer realm="..."`.', schema: { type: 'string' } },
  };
  const responses: Record<string, Obj> = {};
  for (const [status, name] of Object.entries(ERROR_RESPONSES)) {
    const code = Number(status);
    const responseHeaders: Obj = { 'X-Request-Id': ref('headers', 'X-Request-Id') };
    if (code === 401) responseHeaders['WWW-Authenticate'] = ref('headers', 'WWW-Authenticate');
    if (code === 429 || code === 503) responseHeaders['Retry-After'] = ref('headers', 'Retry-After');
    if (code === 429) {
      responseHeaders.RateLimit = ref('headers', 'RateLimit');
      responseHeaders['RateLimit-Policy'] = ref('headers', 'RateLimit-Policy');
    }
    responses[name] = {
      description: ERROR_DESCRIPTIONS[code],
      headers: responseHeaders,
      content: { 'application/problem+json': { schema: ref('schemas', 'Problem'), example: problemExample(code, typeBase) } },
    };
  }
  return {
    responses,
    headers,
    parameters: {
      IfNoneMatch: {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'ETag of a cached copy; a match answers 304 without a body.',
        schema: { type: 'string' },
      },
    },
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key sent as `Authorization: Bearer <key>`.' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: sessionCookieName, description: 'Session cookie of a signed-in user.' },
    },
  };
}

const PROBLEM_SCHEMAS: Record<string, JsonSchema> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details (`application/problem+json`).',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri-reference', description: 'Identifies the problem type.' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 100, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string', format: 'uri-reference' },
      requestId: { type: 'string' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/ProblemFieldError' } },
    },
  },
  ProblemFieldError: {
    type: 'object',
    required: ['pointer', 'message', 'code'],
    properties: {
      pointer: { type: 'string', description: 'JSON pointer into the operation input, e.g. `/items/0/qty`.' },
      in: { type: 'string', enum: ['path', 'query', 'header'], description: 'Absent for body fields.' },
      parameter: { type: 'string', description: 'Parameter name when the field is not from the body, e.g. `price[min]`.' },
      message: { type: 'string' },
      code: { type: 'string', description: 'Machine-readable issue code, e.g. `invalid_type`.' },
    },
  },
};

/** Builds the document from a compiled route table (the handler shares its table). */
export function buildOpenApiDocument(routes: readonly CompiledRoute[], options: OpenApiDocumentOptions): OpenApiDocument {
  const basePath = options.basePath ?? '/rest/v1';
  const typeBase = options.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  const registry = new SchemaRegistry();
  Object.assign(registry.schemas, PROBLEM_SCHEMAS);
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const path = basePath + route.template;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationFor(route, registry);
    for (const tag of route.rest.tags ?? []) tags.add(tag);
  }
  const info: OpenApiDocument['info'] = { title: options.title, version: options.version };
  if (options.description) info.description = options.description;
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info,
    ...(options.servers ? { servers: options.servers } : {}),
    ...(tags.size ? { tags: [...tags].sort().map((name) => ({ name })) } : {}),
    paths,
    components: { schemas: registry.schemas, ...components(options.sessionCookieName ?? 'session', typeBase) },
  };
  return document;
}

/**
 * Generates an OpenAPI 3.1 document from every procedure with `meta.rest`, with schemas from zod
 * (`z.toJSONSchema`, inputs as `io: 'input'`, outputs as `io: 'output'`).
 *
 * @example
 * const doc = createOpenApiDocument(appRouter, { title: 'Notes API', version: '1.0.0' });
 * writeFileSync('openapi.json', JSON.stringify(doc, null, 2));
 */
export function createOpenApiDocument(router: AnyTRPCRouter, options: OpenApiDocumentOptions): OpenApiDocument {
  return buildOpenApiDocument(compileRoutes(router).routes, options);
}
