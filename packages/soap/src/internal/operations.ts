import { compileProcedureCall, type ProcedureCall } from '@triport/procedure-call';
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import { z } from 'zod';
import type { SoapProcedureMeta } from '../types.ts';
import { type Decoder, type Encoder, compileDecoder, compileEncoder } from './codec.ts';
import { SchemaMappingError, type Shape, shapeOf } from './schema-model.ts';
import { isNcName } from './xml-text.ts';

/** Everything precomputed for one SOAP operation at handler creation. */
export interface SoapOperation {
  name: string;
  /** tRPC path, e.g. `notes.get`. */
  path: string;
  /** Runs the procedure (middlewares and parsers included). */
  procedure: ProcedureCall;
  type: 'query' | 'mutation';
  meta: SoapProcedureMeta;
  summary: string | undefined;
  input: Shape;
  output: Shape;
  decode: Decoder;
  encode: Encoder;
  /** `<tns:OpResponse>` and its end tag, built once. */
  responseOpen: string;
  responseClose: string;
}

/** Global elements the adapter declares itself. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['ErrorDetail', 'ApiKey']);

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: unknown;
  inputs: unknown[];
  output?: unknown;
}

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

function jsonSchemaOf(parser: unknown, io: 'input' | 'output', where: string): unknown {
  if (!isZodSchema(parser)) throw new SchemaMappingError(`${where}: ${io} parser is not a zod schema`);
  return z.toJSONSchema(parser, { io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' });
}

/** Several `.input()` calls merge object properties (as tRPC merges the parsed objects). */
function inputSchemaOf(inputs: unknown[], where: string): unknown {
  if (inputs.length === 0) return {};
  if (inputs.length === 1) return jsonSchemaOf(inputs[0], 'input', where);
  const merged = { type: 'object', properties: {} as Record<string, unknown>, required: [] as string[] };
  for (const parser of inputs) {
    const schema = jsonSchemaOf(parser, 'input', where) as { properties?: Record<string, unknown>; required?: string[] };
    Object.assign(merged.properties, schema.properties ?? {});
    merged.required.push(...(schema.required ?? []));
  }
  return merged;
}

/**
 * Collects every query/mutation with `meta.soap` and precomputes its XML shapes, decoder and
 * encoder. Configuration mistakes (duplicate operation names, names that are not XML names, non-zod
 * parsers) throw here, at startup, not per request. Lazy routers are not loaded.
 */
export function collectOperations(router: AnyTRPCRouter): Map<string, SoapOperation> {
  const operations = new Map<string, SoapOperation>();
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  for (const path of Object.keys(procedures)) {
    const procedure = procedures[path]!;
    const def = procedure._def as unknown as ProcedureDef;
    const meta = (def.meta ?? {}) as SoapProcedureMeta;
    const soap = meta.soap;
    if (soap === undefined || def.type === 'subscription') continue;
    const name = soap.operation;
    if (!isNcName(name)) throw new SchemaMappingError(`${path}: operation '${name}' is not a valid XML name`);
    if (operations.has(name) || RESERVED_NAMES.has(name)) {
      throw new SchemaMappingError(`${path}: SOAP operation name '${name}' is already taken`);
    }
    const input = shapeOf(inputSchemaOf(def.inputs, path), 'input', path, name);
    const output =
      def.output === undefined
        ? ({ mode: 'untyped' } as const)
        : shapeOf(jsonSchemaOf(def.output, 'output', path), 'result', path, `${name}Response`);
    operations.set(name, {
      name,
      path,
      procedure: compileProcedureCall(procedure),
      type: def.type,
      meta,
      summary: soap.summary,
      input,
      output,
      decode: compileDecoder(input),
      encode: compileEncoder(output),
      responseOpen: `<tns:${name}Response>`,
      responseClose: `</tns:${name}Response>`,
    });
  }
  for (const name of operations.keys()) {
    if (operations.has(`${name}Response`)) throw new SchemaMappingError(`Operation '${name}Response' clashes with the response element of '${name}'`);
  }
  return operations;
}
