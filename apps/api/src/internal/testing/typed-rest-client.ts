import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { runTool } from './external-tools.ts';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const repoRoot = join(apiDir, '..', '..');

/** What the scenario program reports back; the test compares it with the API's real state. */
export interface TypedClientReport {
  searchTotal: number | null;
  searchIds: number[];
  searchLink: string | null;
  productId: number;
  productName: string;
  productEtag: string | null;
  notModifiedStatus: number;
  cookieName: string;
  meKind: string;
  createdStatus: number;
  createdLocation: string | null;
  createdId: string;
  createdTotal: number;
  replayStatus: number;
  replayHeader: string | null;
  replayId: string;
  listedIds: string[];
  fetchedStatus: number;
  cookieListedIds: string[];
  missingStatus: number;
  missingType: string | undefined;
  missingRequestIdMatches: boolean;
  invalidStatus: number;
  invalidType: string | undefined;
  invalidPointers: string[];
}

export interface TypedClientInput {
  baseUrl: string;
  email: string;
  password: string;
  apiKey: string;
  idempotencyKey: string;
}

/** The program a third-party developer would write against the generated types. */
const program = `import createClient from 'openapi-fetch';
import type { components, paths } from './schema.ts';

type Problem = components['schemas']['Problem'];
type Product = components['schemas']['CatalogProductOutput'];

export async function scenario(input: {
  baseUrl: string; email: string; password: string; apiKey: string; idempotencyKey: string;
}) {
  const anonymous = createClient<paths>({ baseUrl: input.baseUrl });

  const search = await anonymous.GET('/rest/v1/products', {
    params: { query: { q: 'wireless', sort: 'relevance', limit: 3, facets: true } },
  });
  if (!search.data) throw new Error('search failed: ' + search.response.status);
  const searchIds: number[] = search.data.items.map((hit) => hit.id);
  const first = search.data.items[0];
  if (!first) throw new Error('search found nothing');

  const one = await anonymous.GET('/rest/v1/products/{id}', { params: { path: { id: first.id } } });
  if (!one.data) throw new Error('product failed: ' + one.response.status);
  const product: Product = one.data;
  const etag = one.response.headers.get('etag');
  const again = await anonymous.GET('/rest/v1/products/{id}', {
    params: { path: { id: first.id }, header: { 'If-None-Match': etag ?? '' } },
  });

  const login = await anonymous.POST('/rest/v1/auth/login', { body: { email: input.email, password: input.password } });
  const cookie = login.response.headers.getSetCookie()[0]?.split(';', 1)[0] ?? '';
  const session = createClient<paths>({ baseUrl: input.baseUrl, headers: { cookie } });
  const me = await session.GET('/rest/v1/auth/me');

  const keyed = createClient<paths>({ baseUrl: input.baseUrl, headers: { authorization: 'Bearer ' + input.apiKey } });
  const body = { lines: [{ productId: first.id, quantity: 1 }] };
  const header = { 'idempotency-key': input.idempotencyKey };
  const created = await keyed.POST('/rest/v1/orders', { params: { header }, body });
  if (!created.data) throw new Error('create failed: ' + created.response.status + ' ' + JSON.stringify(created.error));
  const replay = await keyed.POST('/rest/v1/orders', { params: { header }, body });
  const listed = await keyed.GET('/rest/v1/orders', { params: { query: { limit: 100 } } });
  const fetched = await keyed.GET('/rest/v1/orders/{id}', { params: { path: { id: created.data.id } } });
  const viaCookie = await session.GET('/rest/v1/orders');

  const missing = await anonymous.GET('/rest/v1/products/{id}', { params: { path: { id: 2147483647 } } });
  const missingProblem: Problem | undefined = missing.error;
  const invalid = await keyed.POST('/rest/v1/orders', { body: { lines: [{ productId: first.id, quantity: 0 }] } });
  const invalidProblem: Problem | undefined = invalid.error;

  // Type-level checks only (never called): the generated types must refuse these.
  const mustNotCompile = () => [
    // @ts-expect-error quantity is an integer, not a string
    keyed.POST('/rest/v1/orders', { body: { lines: [{ productId: 1, quantity: 'one' }] } }),
    // @ts-expect-error sort is an enum
    anonymous.GET('/rest/v1/products', { params: { query: { sort: 'cheapest' } } }),
    // @ts-expect-error no such path
    anonymous.GET('/rest/v1/product/{id}', { params: { path: { id: 1 } } }),
    // @ts-expect-error lines is required
    keyed.POST('/rest/v1/orders', { body: {} }),
    // @ts-expect-error the product id is a path parameter of type integer
    anonymous.GET('/rest/v1/products/{id}', { params: { path: { id: 'three' } } }),
  ];
  void mustNotCompile;

  return {
    searchTotal: search.data.total,
    searchIds,
    searchLink: search.response.headers.get('link'),
    productId: product.id,
    productName: product.name,
    productEtag: etag,
    notModifiedStatus: again.response.status,
    cookieName: cookie.split('=', 1)[0] ?? '',
    meKind: me.data?.kind ?? 'none',
    createdStatus: created.response.status,
    createdLocation: created.response.headers.get('location'),
    createdId: created.data.id,
    createdTotal: created.data.totalCents,
    replayStatus: replay.response.status,
    replayHeader: replay.response.headers.get('idempotent-replayed'),
    replayId: replay.data?.id ?? '',
    listedIds: (listed.data?.orders ?? []).map((o) => o.id),
    fetchedStatus: fetched.response.status,
    cookieListedIds: (viaCookie.data?.orders ?? []).map((o) => o.id),
    missingStatus: missing.response.status,
    missingType: missingProblem?.type,
    missingRequestIdMatches: missingProblem?.requestId === missing.response.headers.get('x-request-id'),
    invalidStatus: invalid.response.status,
    invalidType: invalidProblem?.type,
    invalidPointers: (invalidProblem?.errors ?? []).map((e) => e.pointer),
  };
}
`;

export interface TypedClient {
  dir: string;
  run(input: TypedClientInput): Promise<TypedClientReport>;
  dispose(): void;
}

/**
 * Generates types from an OpenAPI document with openapi-typescript, writes the scenario program
 * beside them, type-checks both with the repository's tsc (strict, a temporary tsconfig) and loads
 * the program. Throws with tsc's output when the generated types and the program disagree.
 *
 * @example
 * const client = await buildTypedClient(await (await fetch(`${url}/rest/openapi.json`)).json());
 * const report = await client.run({ baseUrl: url, ... });
 */
export async function buildTypedClient(document: OpenAPI3): Promise<TypedClient> {
  // Inside node_modules so the program resolves openapi-fetch like this package does, and git ignores it.
  const cache = join(apiDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'typed-rest-client-'));
  try {
    writeFileSync(join(dir, 'schema.ts'), astToString(await openapiTS(document)));
    writeFileSync(join(dir, 'client.ts'), program);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['client.ts'],
      }),
    );
    const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
    const checked = await runTool(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]);
    if (checked.code !== 0) throw new Error(`tsc rejected the generated client:\n${checked.stdout}${checked.stderr}`);
    const loaded = (await import(join(dir, 'client.ts'))) as { scenario(input: TypedClientInput): Promise<TypedClientReport> };
    return { dir, run: (input) => loaded.scenario(input), dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
