import type { FastifyReply } from 'fastify';

/** The answer header naming the Callbell request fields Beckon accepted but does not act on (never silently). */
export const IGNORED_HEADER = 'beckon-ignored-fields';

/** The `body.<name>` paths of `names` present in `body`. */
export function ignoredFields(body: object, names: readonly string[]): string[] {
  return names.filter((name) => (body as Record<string, unknown>)[name] !== undefined).map((name) => `body.${name}`);
}

/** Names the ignored fields in the answer's Beckon-Ignored-Fields header (nothing when there are none). */
export function markIgnored(reply: FastifyReply, fields: string[]): void {
  if (fields.length > 0) reply.header(IGNORED_HEADER, fields.join(', '));
}
