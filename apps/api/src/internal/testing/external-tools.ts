import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Independent tools the adapter tests check the real app's documents with: xmllint (libxml2-utils),
 * openapi-spec-validator (python), python3-zeep (Debian's /usr/bin/python3) and PHP's SoapClient.
 * Everything runs asynchronously: the API under test lives in the calling process.
 */

export interface ToolResult {
  /** Exit code (null when killed by a signal or the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without a shell and resolves with its exit code and output (never rejects on a
 * non-zero exit: the caller decides what a failure means).
 *
 * @example
 * const { code, stdout } = await runTool('xmllint', ['--version']);
 */
export function runTool(command: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { encoding: 'utf8', cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
      },
    );
  });
}

/** True when an absolute path to a binary exists (`/usr/bin/php`). */
export function hasBinary(path: string): boolean {
  return existsSync(path);
}

/** The `xs:schema` of a WSDL's `wsdl:types` as a standalone XSD document. */
export function extractSchema(wsdl: string): string {
  const start = wsdl.indexOf('<xs:schema');
  const end = wsdl.indexOf('</xs:schema>');
  if (start === -1 || end === -1) throw new Error('no xs:schema in the WSDL');
  return `<?xml version="1.0" encoding="UTF-8"?>${wsdl.slice(start, end + '</xs:schema>'.length)}`;
}

/**
 * The single child of a SOAP envelope's Body as a standalone document, with the Envelope's namespace
 * declarations copied onto it so the prefixes used inside stay bound.
 */
export function bodyElement(envelope: string): string {
  const envOpen = /<([A-Za-z0-9_-]+:)?Envelope\b([^>]*)>/.exec(envelope);
  if (!envOpen) throw new Error(`no Envelope in: ${envelope.slice(0, 200)}`);
  const declarations = [...(envOpen[2] ?? '').matchAll(/xmlns(:[A-Za-z0-9_-]+)?="[^"]*"/g)].map((m) => m[0]);
  const bodyOpen = /<([A-Za-z0-9_-]+:)?Body\b[^>]*>/.exec(envelope);
  if (!bodyOpen) throw new Error('no Body');
  const prefix = bodyOpen[1] ?? '';
  const inner = envelope.slice(bodyOpen.index + bodyOpen[0].length, envelope.lastIndexOf(`</${prefix}Body>`)).trim();
  const firstTagEnd = inner.search(/\/?>/);
  const own = inner.slice(0, firstTagEnd);
  const missing = declarations.filter((d) => !own.includes(`${d.split('=')[0]}=`));
  return `${own}${missing.length > 0 ? ` ${missing.join(' ')}` : ''}${inner.slice(firstTagEnd)}`;
}

/**
 * `xmllint --noout --nonet --schema <xsd> <doc>` on two strings.
 *
 * @example
 * const { ok, output } = await validateXml(extractSchema(wsdl), bodyElement(responseText));
 */
export async function validateXml(xsd: string, doc: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'triport-xsd-'));
  try {
    await writeFile(join(dir, 'schema.xsd'), xsd);
    await writeFile(join(dir, 'doc.xml'), doc);
    const result = await runTool('xmllint', ['--noout', '--nonet', '--schema', join(dir, 'schema.xsd'), join(dir, 'doc.xml')]);
    return { ok: result.code === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One real response to check against the OpenAPI document. */
export interface ResponseSample {
  method: string;
  /** The document's path template, e.g. `/rest/v1/products/{id}`. */
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

const validateSamplesScript = `
import json, sys
from jsonschema import Draft202012Validator, FormatChecker
doc = json.load(open(sys.argv[1]))
samples = json.load(open(sys.argv[2]))
def deref(node):
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
out = []
for s in samples:
    op = doc["paths"].get(s["path"], {}).get(s["method"].lower())
    where = f'{s["method"]} {s["path"]} {s["status"]}'
    if op is None:
        out.append(f"{where}: no such operation"); continue
    response = op["responses"].get(str(s["status"]))
    if response is None:
        out.append(f"{where}: status not declared"); continue
    content = deref(response).get("content", {})
    media = s["contentType"].split(";")[0].strip()
    if media not in content:
        out.append(f"{where}: media type {media} not declared ({', '.join(content)})"); continue
    schema = dict(doc)
    schema.update(content[media]["schema"])
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(s["body"]), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        out.append(f"{where}: /{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
print(json.dumps(out))
`;

/**
 * Validates real response bodies against the response schemas of an OpenAPI 3.1 document with
 * python's jsonschema (Draft 2020-12, formats checked where the library can). Resolves with one
 * message per mismatch (undeclared status or media type, or a schema error); `[]` means all conform.
 *
 * @example
 * expect(await validateResponseSamples(document, samples)).toEqual([]);
 */
export async function validateResponseSamples(document: unknown, samples: ResponseSample[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'triport-openapi-samples-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
    await writeFile(join(dir, 'samples.json'), JSON.stringify(samples));
    const result = await runTool('python3', ['-c', validateSamplesScript, join(dir, 'openapi.json'), join(dir, 'samples.json')]);
    if (result.code !== 0) throw new Error(`jsonschema validation did not run: ${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
