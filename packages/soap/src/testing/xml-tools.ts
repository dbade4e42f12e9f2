/** Test helpers around xmllint (libxml2-utils). */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasXmllint = existsSync('/usr/bin/xmllint');

/** The `xs:schema` element inside a WSDL's `wsdl:types`, as a standalone document. */
export function extractSchema(wsdl: string): string {
  const start = wsdl.indexOf('<xs:schema');
  const end = wsdl.indexOf('</xs:schema>');
  if (start === -1 || end === -1) throw new Error('no xs:schema in WSDL');
  return `<?xml version="1.0" encoding="UTF-8"?>${wsdl.slice(start, end + '</xs:schema>'.length)}`;
}

/**
 * The Body's child element of an envelope as a standalone document, with every namespace
 * declaration of the Envelope copied onto it (prefixes used inside stay resolvable).
 */
export function bodyElement(envelope: string): string {
  const envOpen = /<([A-Za-z0-9_-]+:)?Envelope\b([^>]*)>/.exec(envelope);
  if (!envOpen) throw new Error('no Envelope');
  const declarations = [...(envOpen[2] ?? '').matchAll(/xmlns(:[A-Za-z0-9_-]+)?="[^"]*"/g)].map((m) => m[0]);
  const bodyOpen = /<([A-Za-z0-9_-]+:)?Body\b[^>]*>/.exec(envelope);
  if (!bodyOpen) throw new Error('no Body');
  const prefix = bodyOpen[1] ?? '';
  const from = bodyOpen.index + bodyOpen[0].length;
  const to = envelope.lastIndexOf(`</${prefix}Body>`);
  const inner = envelope.slice(from, to).trim();
  const firstTagEnd = inner.search(/\/?>/);
  const own = inner.slice(0, firstTagEnd);
  const missing = declarations.filter((d) => !own.includes(d.split('=')[0]!));
  return `${own}${missing.length ? ` ${missing.join(' ')}` : ''}${inner.slice(firstTagEnd)}`;
}

export interface LintResult {
  ok: boolean;
  output: string;
}

/** Runs `xmllint --noout --schema <xsd> <doc>` on strings. */
export async function validateWithXmllint(xsd: string, doc: string): Promise<LintResult> {
  const dir = await mkdtemp(join(tmpdir(), 'soap-xsd-'));
  try {
    await writeFile(join(dir, 'schema.xsd'), xsd);
    await writeFile(join(dir, 'doc.xml'), doc);
    return await new Promise<LintResult>((resolve) => {
      execFile('xmllint', ['--noout', '--nonet', '--schema', join(dir, 'schema.xsd'), join(dir, 'doc.xml')], (error, stdout, stderr) => {
        resolve({ ok: error === null, output: `${stdout}${stderr}` });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
