import { z } from 'zod';

/** A JSON Schema (2020-12) object as produced by `z.toJSONSchema`. */
export type JsonSchema = { [key: string]: unknown };

export interface ConvertedSchema {
  /** The schema, with `$ref`s of the form `#/$defs/<name>` pointing into `defs`. */
  schema: JsonSchema;
  defs: Record<string, JsonSchema>;
}

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

type Unrepresentable = NonNullable<NonNullable<Parameters<typeof z.toJSONSchema>[1]>['unrepresentable']>;

/**
 * JSON has no Date: `JSON.stringify` writes ISO strings, so outputs (and coercing inputs) are
 * date-time strings. A plain `z.date()` input cannot be satisfied from JSON at all: `{}`.
 */
function unrepresentableFor(io: 'input' | 'output'): Unrepresentable {
  return (ctx) => {
    const def = ctx.zodSchema._zod.def as { type: string; coerce?: boolean };
    if (def.type === 'date' && (io === 'output' || def.coerce === true)) return { type: 'string', format: 'date-time' };
    return 'any';
  };
}

const UNREPRESENTABLE = { input: unrepresentableFor('input'), output: unrepresentableFor('output') };

const CONTROL = '\\x00-\\x1F\\x7F-\\x9F';

/**
 * Rewrites Unicode property escapes (`\p{Cc}`, `\P{Cc}`), which many non-JavaScript regex engines
 * (Python's `re`, used by openapi-spec-validator) reject, into plain ranges. Returns undefined when
 * a property escape remains that has no compact portable form (e.g. `\p{L}`).
 */
export function portablePattern(pattern: string): string | undefined {
  if (!/\\[pP]\{/.test(pattern)) return pattern;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        if (end === -1) return undefined;
        const name = pattern.slice(i + 3, end);
        if (name !== 'Cc' && name !== 'Control' && name !== 'gc=Cc' && name !== 'General_Category=Cc') return undefined;
        if (inClass) {
          if (next === 'P') return undefined;
          out += CONTROL;
        } else out += next === 'p' ? `[${CONTROL}]` : `[^${CONTROL}]`;
        i = end;
        continue;
      }
      out += c + (next ?? '');
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

function portablePatterns(schema: JsonSchema): void {
  const pattern = schema.pattern;
  if (typeof pattern === 'string') {
    const portable = portablePattern(pattern);
    if (portable === undefined) {
      // Only documentation loses it: zod still enforces the original pattern at runtime.
      delete schema.pattern;
      schema['x-pattern'] = pattern;
    } else schema.pattern = portable;
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) if (part && typeof part === 'object') portablePatterns(part as JsonSchema);
}

function convertOne(schema: unknown, io: 'input' | 'output'): ConvertedSchema {
  if (!isZodSchema(schema)) return { schema: {}, defs: {} };
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: UNREPRESENTABLE[io],
    cycles: 'ref',
    reused: 'inline',
    override: ({ jsonSchema }) => portablePatterns(jsonSchema as JsonSchema),
  }) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = json;
  return { schema: rest, defs: ($defs ?? {}) as Record<string, JsonSchema> };
}

/**
 * Converts a procedure's input parsers (tRPC allows several, merged as objects) or its output parser.
 * Several object inputs become one object schema with the union of their properties.
 */
export function convertSchemas(parsers: readonly unknown[], io: 'input' | 'output'): ConvertedSchema | undefined {
  if (parsers.length === 0) return undefined;
  const converted = parsers.map((parser) => convertOne(parser, io));
  if (converted.length === 1) return converted[0];
  const defs = Object.assign({}, ...converted.map((c) => c.defs)) as Record<string, JsonSchema>;
  const allObjects = converted.every((c) => c.schema.type === 'object' && typeof c.schema.properties === 'object');
  if (!allObjects) return { schema: { allOf: converted.map((c) => c.schema) }, defs };
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const c of converted) {
    Object.assign(properties, c.schema.properties);
    for (const name of (c.schema.required as string[] | undefined) ?? []) required.add(name);
  }
  return { schema: { type: 'object', properties, required: [...required] }, defs };
}

/** Follows a local `$ref` (`#/$defs/X`) a bounded number of times. */
export function resolveRef(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  let current = schema;
  for (let hops = 0; hops < 16 && typeof current.$ref === 'string'; hops++) {
    const name = current.$ref.replace(/^#\/\$defs\//, '');
    const target = defs[name];
    if (!target) return {};
    current = target;
  }
  return current;
}

/**
 * The object schema of an input, looking through `anyOf`/`oneOf` (e.g. `.optional()`) and refs.
 * Returns undefined when the input is not an object (then it can only come from a JSON body).
 */
export function objectSchemaOf(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  const resolved = resolveRef(schema, defs);
  if (resolved.type === 'object' || (resolved.properties && typeof resolved.properties === 'object')) {
    return resolved;
  }
  const branches = (resolved.anyOf ?? resolved.oneOf ?? resolved.allOf) as JsonSchema[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  for (const branch of branches) {
    const found = objectSchemaOf(branch, defs);
    if (found) return found;
  }
  return undefined;
}

/** Whether the input schema accepts `undefined` (no input at all). */
export function inputIsOptional(parsers: readonly unknown[]): boolean {
  return parsers.every((parser) => !isZodSchema(parser) || parser.safeParse(undefined).success);
}
