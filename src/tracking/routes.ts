import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { sendProblem } from '../system/problem.ts';
import { ONE_CLICK } from '../providers/smtp/message.ts';
import { confirmUnsubscribePage, invalidLinkPage, PAGE_HEADERS, PIXEL_GIF, unsubscribedPage } from './pages.ts';
import { followClick, recordOpen, unsubscribe, validUnsubscribeToken } from './service.ts';

const tags = ['tracking'];

/** Largest body an unsubscribe POST may carry (a one-click body is 26 bytes). */
export const UNSUBSCRIBE_BODY_LIMIT = 8 * 1024;

const Params = Type.Object({ token: Type.String({ description: 'A signed tracking token (from a tracked message)' }) });

function userAgent(request: FastifyRequest): string | undefined {
  const header = request.headers['user-agent'];
  return Array.isArray(header) ? header[0] : header;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
}

/** True when an unsubscribe POST body is RFC 8058's `List-Unsubscribe=One-Click` (form-encoded or multipart). */
export function isOneClick(body: string): boolean {
  if (new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click') return true;
  return /name="List-Unsubscribe"\r?\n\r?\nOne-Click/.test(body);
}

/**
 * The public tracking routes of campaign messages (docs/tracking.md), no API key: `GET /c/:token` redirects to a
 * tracked link (404 for a token that is not valid: never an open redirect), `GET /o/:token` answers the open pixel
 * (the same pixel for any token), `GET /u/:token` shows the unsubscribe page and `POST /u/:token` unsubscribes
 * (RFC 8058 one-click, or the page's form). HEAD requests (scanners) record nothing. Hidden from the OpenAPI document: mail clients and browsers call them, not API clients.
 */
export function trackingRoutes(app: App, deps: Deps): void {
  app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: UNSUBSCRIBE_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.get('/c/:token', {
      config: { scope: 'public' },
      schema: { operationId: 'followTrackedLink', hide: true, tags, summary: 'Follow a tracked link: 302 to its URL, recording a click (link_clicked)', params: Params },
    }, async (request, reply) => {
      const url = await followClick(deps, request.params.token, { userAgent: userAgent(request) }, request.method !== 'HEAD');
      if (url === null) return sendProblem(reply, 404, 'not_found', 'this link is not valid');
      return reply.code(302).headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).header('location', url).send();
    });

    scope.get('/o/:token', {
      config: { scope: 'public' },
      schema: { operationId: 'getOpenPixel', hide: true, tags, summary: 'The open pixel: a 1×1 transparent GIF, recording an open (message_opened on the first human open)', params: Params },
    }, async (request, reply) => {
      if (request.method !== 'HEAD') await recordOpen(deps, request.params.token, { userAgent: userAgent(request) });
      return reply.code(200).headers({ 'cache-control': 'no-store', pragma: 'no-cache', 'referrer-policy': 'no-referrer' }).type('image/gif').send(PIXEL_GIF);
    });

    scope.get('/u/:token', {
      config: { scope: 'public' },
      schema: { operationId: 'getUnsubscribePage', hide: true, tags, summary: 'The unsubscribe page: a button that POSTs to the same URL', params: Params, response: { 200: { description: 'text/html', content: { 'text/html': { schema: Type.String() } } } } },
    }, async (request, reply) => {
      if (!validUnsubscribeToken(deps, request.params.token)) return html(reply, 404, invalidLinkPage());
      return html(reply, 200, confirmUnsubscribePage());
    });

    scope.post('/u/:token', {
      config: { scope: 'public' },
      schema: { operationId: 'unsubscribe', hide: true, tags, summary: `Unsubscribe (RFC 8058 one-click: body ${ONE_CLICK}, or the page's form): email consent becomes opted_out (contact_opted_out); idempotent`, params: Params, response: { 200: { description: 'text/html', content: { 'text/html': { schema: Type.String() } } } } },
    }, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const source = isOneClick(body) ? 'one_click_unsubscribe' : 'unsubscribe_link';
      const ok = await unsubscribe(deps, request.params.token, source, { userAgent: userAgent(request) });
      if (!ok) return html(reply, 404, invalidLinkPage());
      return html(reply, 200, unsubscribedPage());
    });
  });
}
