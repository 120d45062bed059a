// The web app (web/, built by Vite into web/dist) served by Beckon itself at /: hashed assets with a long cache,
// index.html (never cached) for every other non-API GET so the app's client-side routes survive a reload.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where the built web app lives. */
export const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/** Paths the web app never answers: the API, its reference and the operational routes keep their own 404s. */
const API_PREFIXES = ['/v1', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics', '/hooks'];

/** Whether a request is a browser asking for a page (the web app), as opposed to an API client. */
export function wantsWebPage(request: FastifyRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html') && existsSync(resolve(WEB_DIST, 'index.html'));
}

/** Answers a non-API GET from web/dist: the file when it exists (assets cached a year), else index.html; false when it is not the web app's. */
export function serveWeb(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = decodeURIComponent(request.url.split('?')[0]);
  if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  const index = resolve(WEB_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const file = resolve(WEB_DIST, '.' + path);
  if (file.startsWith(WEB_DIST + sep) && existsSync(file) && statSync(file).isFile()) {
    const hashed = path.startsWith('/assets/');
    reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
    return true;
  }
  // a missing asset is a 404, not the app (a stale tab asking for an old hash must not get HTML as JavaScript)
  if (path.startsWith('/assets/')) return false;
  // the app's own routes (/inbox, /contacts/…) for a browser; an API client keeps the 404 problem
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  reply.header('cache-control', 'no-cache').type(TYPES['.html']).send(readFileSync(index));
  return true;
}
