/**
 * The document is good enough to generate a typed client: openapi-typescript writes the types,
 * tsc type-checks a small program using openapi-fetch against them (including a call that must
 * NOT type-check), and the program then talks to the running test server.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './internal/testing/server.ts';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  // Inside node_modules so the temp project resolves openapi-fetch like the package does, and git ignores it.
  const cache = join(packageDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'rest-client-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const program = `import createClient from 'openapi-fetch';
import type { components, paths } from './schema.ts';

type Problem = components['schemas']['Problem'];

export async function scenario(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  const auth = { authorization: 'Bearer member-token' };
  const created = await client.POST('/rest/v1/notes', {
    params: { header: { 'idempotency-key': 'typed-client-1' } },
    headers: auth,
    body: { title: 'typed', tags: ['a', 'b'], priority: 2 },
  });
  if (!created.data) throw new Error('create failed');
  const id: string = created.data.id;
  const createdAt: string = created.data.createdAt;

  const one = await client.GET('/rest/v1/notes/{id}', { params: { path: { id } } });
  const title: string | undefined = one.data?.title;

  const page = await client.GET('/rest/v1/notes', {
    params: { query: { limit: 5, tag: ['a', 'x'], priority: { min: 1, max: 3 }, archived: false } },
  });
  const items = page.data?.items ?? [];
  const next: string | null | undefined = page.data?.nextCursor;

  const missing = await client.GET('/rest/v1/notes/{id}', { params: { path: { id: 'nope' } } });
  const problem: Problem | undefined = missing.error;

  const invalid = await client.POST('/rest/v1/notes', { headers: auth, body: { title: '' } });
  const invalidProblem: Problem | undefined = invalid.error;

  const removed = await client.DELETE('/rest/v1/notes/{id}', { params: { path: { id } }, headers: auth });

  // Type-level checks only (never called): these calls must NOT type-check.
  const mustNotCompile = () => [
    // @ts-expect-error limit is a number: the generated types must reject a string
    client.GET('/rest/v1/notes', { params: { query: { limit: 'ten' } } }),
    // @ts-expect-error unknown paths do not type-check
    client.GET('/rest/v1/nothing'),
    // @ts-expect-error title is required in the body
    client.POST('/rest/v1/notes', { body: { tags: [] } }),
  ];
  void mustNotCompile;

  return {
    id,
    createdAt,
    title,
    listed: items.map((n) => n.title),
    next,
    missingStatus: problem?.status,
    missingType: problem?.type,
    invalidStatus: invalid.response.status,
    invalidPointers: invalidProblem?.errors?.map((e) => e.pointer),
    removedStatus: removed.response.status,
  };
}
`;

describe('generated typed client', () => {
  it('generates, type-checks and calls the running server', async () => {
    const document = (await (await fetch(`${server.url}/rest/openapi.json`)).json()) as OpenAPI3;
    const types = astToString(await openapiTS(document));
    writeFileSync(join(dir, 'schema.ts'), types);
    writeFileSync(join(dir, 'client.ts'), program);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['client.ts'],
      }),
    );
    const tsc = createRequire(join(packageDir, '..', '..', 'package.json')).resolve('typescript/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout}`);
    }

    const { scenario } = (await import(join(dir, 'client.ts'))) as {
      scenario: (baseUrl: string) => Promise<Record<string, unknown>>;
    };
    const result = await scenario(server.url);
    expect(result).toMatchObject({
      title: 'typed',
      listed: ['typed'],
      next: null,
      missingStatus: 404,
      missingType: 'https://triport.dev/problems/not-found',
      invalidStatus: 422,
      invalidPointers: ['/title'],
      removedStatus: 204,
    });
    expect(result.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 60_000);
});
