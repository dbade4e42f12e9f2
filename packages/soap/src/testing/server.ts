/** Test helper: the SOAP handler on a real HTTP server at 127.0.0.1:<random port>. */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSoapHandler } from '../handler.ts';
import type { SoapHandlerOptions } from '../types.ts';
import { type NotesContext, createNotesRouter, createNotesStore } from './notes-router.ts';

export const NS = 'urn:triport:soap:v1';

export interface TestServer {
  url: string;
  wsdlUrl: string;
  server: Server;
  store: ReturnType<typeof createNotesStore>;
  errors: unknown[];
  close: () => Promise<void>;
}

export async function startTestServer(
  overrides: Partial<SoapHandlerOptions<ReturnType<typeof createNotesRouter>>> = {},
): Promise<TestServer> {
  const store = createNotesStore();
  const router = createNotesRouter(store);
  const errors: unknown[] = [];
  const handler = createSoapHandler({
    router,
    namespace: NS,
    serviceName: 'NotesService',
    createContext: ({ res, security }): NotesContext => ({ res, security }),
    onError: ({ error }) => errors.push(error),
    ...overrides,
  });
  const server = createServer((req, res) => {
    res.setHeader('x-request-id', 'req-test-1');
    handler(req, res).then(
      (handled) => {
        if (!handled) {
          res.statusCode = 404;
          res.end('not found');
        }
      },
      () => {
        res.statusCode = 500;
        res.end('handler threw');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/soap`;
  return {
    url,
    wsdlUrl: `${url}?wsdl`,
    server,
    store,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds a SOAP envelope around body content (and optional header blocks). */
export function envelope(version: '1.1' | '1.2', body: string, header = ''): string {
  const env = version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${env}" xmlns:t="${NS}">${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${body}</s:Body></s:Envelope>`;
}

export interface PostOptions {
  version?: '1.1' | '1.2';
  action?: string;
  headers?: Record<string, string>;
}

export async function postSoap(
  url: string,
  body: string | Uint8Array,
  options: PostOptions = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const version = options.version ?? '1.1';
  const headers: Record<string, string> =
    version === '1.1'
      ? { 'content-type': 'text/xml; charset=utf-8', ...(options.action !== undefined ? { soapaction: `"${options.action}"` } : {}) }
      : { 'content-type': `application/soap+xml; charset=utf-8${options.action !== undefined ? `; action="${options.action}"` : ''}` };
  const response = await fetch(url, { method: 'POST', headers: { ...headers, ...options.headers }, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
