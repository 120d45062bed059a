import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict',
  413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(status: number, code: ErrorCode, detail: string, errors?: FieldError[], extra?: Record<string, unknown>) {
  return { type: `urn:beckon:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}), ...extra };
}

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(reply: FastifyReply, status: number, code: ErrorCode, detail: string, errors?: FieldError[], extra?: Record<string, unknown>) {
  return reply.code(status).type('application/problem+json').send(problem(status, code, detail, errors, extra));
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

/**
 * Fastify's `frameworkErrors`: errors raised while routing, before any hook runs (a URL whose percent-encoding is
 * broken, a path parameter over the length limit), answered as problem+json like every other error.
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') return sendProblem(reply, 400, 'bad_url', 'the URL is not valid (broken percent-encoding)');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(reply, 414, 'uri_too_long', 'a path parameter is longer than the server accepts');
  return handleError(error, request, reply);
}

const CLIENT_ERRORS: Record<string, [number, ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'header_too_large', 'the request headers are larger than the server accepts'],
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused (malformed, headers too large, too slow) gets a
 * problem+json answer written on the socket, which is then closed.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'bad_request' as ErrorCode, 'the request is not valid HTTP'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${TITLES[status]}\r\nConnection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
