import type { App } from '../../http.ts';

/**
 * Callbell's error keys on every error answer of the surface: Callbell documents `{error, code}` (its 402); Beckon's
 * problem+json body gains `error` (the detail) beside its `code`, so clients of either read it.
 */
export function callbellErrors(scope: App): void {
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json')) return payload;
    try {
      const body = JSON.parse(payload) as { detail?: string };
      return JSON.stringify({ error: body.detail, ...body });
    } catch {
      return payload;
    }
  });
}
