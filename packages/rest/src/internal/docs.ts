import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The only files of swagger-ui-dist the docs page needs; nothing else is ever read from disk. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Scripts and styles only from this origin; no inline code. The one hash is the `<style>` inside
 * Swagger UI's own logo SVG (checked in Chromium: without it the page works, the logo is grey).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function asset(body: Buffer | string, type: string, cacheControl: string): Asset {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: buffer, type, etag: `"${createHash('sha1').update(buffer).digest('base64url')}"`, cacheControl };
}

export type DocsServer = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;

/**
 * Serves the Swagger UI page at `docsPath` and its assets at `docsPath/<version>/<file>` from the
 * installed `swagger-ui-dist`. Assets are versioned in the URL, so they are cached as immutable.
 * Files are resolved by exact name from a fixed list: a request path never reaches the file system.
 */
export function createDocsServer(docsPath: string, openapiPath: string, title: string): DocsServer {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('swagger-ui-dist/package.json');
  const dir = dirname(packageJsonPath);
  const version = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
  const assetBase = `${docsPath}/${version}/`;
  const loaded = new Map<string, Asset>();
  const immutable = 'public, max-age=31536000, immutable';

  const init = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(openapiPath)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
  });
});
`;
  const initAsset = asset(init, 'text/javascript; charset=utf-8', 'no-cache');
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assetBase}swagger-ui.css">
<link rel="icon" type="image/png" href="${assetBase}favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetBase}swagger-ui-bundle.js"></script>
<script src="${assetBase}swagger-ui-standalone-preset.js"></script>
<script src="${docsPath}/init.js"></script>
</body>
</html>
`;
  const pageAsset = asset(page, 'text/html; charset=utf-8', 'no-cache');

  const load = (name: string): Asset | undefined => {
    const type = ASSETS[name];
    if (type === undefined || !Object.hasOwn(ASSETS, name)) return undefined;
    let found = loaded.get(name);
    if (!found) {
      found = asset(readFileSync(join(dir, name)), type, immutable);
      loaded.set(name, found);
    }
    return found;
  };

  return (req, res, pathname) => {
    let found: Asset | undefined;
    if (pathname === docsPath || pathname === `${docsPath}/`) found = pageAsset;
    else if (pathname === `${docsPath}/init.js`) found = initAsset;
    else if (pathname.startsWith(assetBase)) found = load(pathname.slice(assetBase.length));
    else if (!pathname.startsWith(`${docsPath}/`)) return false;
    if (!found) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return true;
    }
    sendStatic(req, res, found, found === pageAsset);
    return true;
  };
}

/** Sends a precomputed body with its ETag (304 on a match). */
export function sendStatic(req: IncomingMessage, res: ServerResponse, found: Asset, isPage: boolean): void {
  res.setHeader('ETag', found.etag);
  res.setHeader('Cache-Control', found.cacheControl);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (isPage) {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
  }
  if (etagMatches(req.headers['if-none-match'], found.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', found.type);
  res.setHeader('Content-Length', found.body.length);
  res.end(req.method === 'HEAD' ? undefined : found.body);
}

/** `If-None-Match` uses weak comparison (RFC 9110 §13.1.2); `*` matches any current representation. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if (tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** A precomputed JSON asset (the OpenAPI document). */
export function jsonAsset(json: string): Asset {
  return asset(json, 'application/json', 'no-cache');
}
