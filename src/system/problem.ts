import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(reply: FastifyReply, status: number, code: ErrorCode, detail: string, errors?: FieldError[], extra?: Record<string, unknown>) {
  return reply.code(status).type('application/problem+json').send({
    type: `urn:beckon:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
    ...extra,
  });
}

function fieldPath(context: string | undefined, instancePath: string, missing?: string): string {
  const location = context === 'querystring' ? 'query' : context ?? 'body';
  const parts = instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (missing) parts.push(missing);
  return [location, ...parts].join('.');
}

type AjvIssue = { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> };

function validationErrors(error: FastifyError): FieldError[] {
  const issues = (error.validation ?? []) as AjvIssue[];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of issues) {
    const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : undefined;
    const unknown = issue.keyword === 'additionalProperties' ? String(issue.params.additionalProperty) : undefined;
    const path = fieldPath(error.validationContext, issue.instancePath, missing ?? unknown);
    const message = missing ? 'is required' : unknown ? 'is not a known field' : issue.message ?? 'is invalid';
    if (seen.has(path + message)) continue;
    seen.add(path + message);
    out.push({ path, message });
  }
  return out;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict' };

/**
 * The one error handler: typed errors, validation errors and Fastify's own 4xx become problem+json;
 * anything else is a 500 that leaks nothing (the error is logged with the request id).
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return sendProblem(reply, error.status, error.code, error.message, error.errors, error.extra);
  if (error.validation) {
    const errors = validationErrors(error);
    return sendProblem(reply, 400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return sendProblem(reply, 413, 'payload_too_large', 'the request body is larger than the server accepts');
  if (status === 415) return sendProblem(reply, 415, 'unsupported_media_type', 'send the body as application/json');
  if (status === 429) return sendProblem(reply, 429, 'rate_limited', error.message);
  if (status === 400 && (error instanceof SyntaxError || /JSON/i.test(error.message + (error.code ?? '')))) {
    return sendProblem(reply, 400, 'invalid_json', `the body is not valid JSON: ${error.message}`);
  }
  if (status >= 400 && status < 500) return sendProblem(reply, status, CODE_BY_STATUS[status] ?? 'validation_failed', error.message);
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'internal_error', `an internal error occurred; it has been logged with request id ${request.id}`);
}
