/** Stable machine-readable error codes carried in every problem+json body. */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'bad_request'
  | 'bad_url'
  | 'uri_too_long'
  | 'header_too_large'
  | 'request_timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'invalid_credentials'
  | 'token_invalid'
  | 'not_found'
  | 'conflict'
  | 'duplicate_contact'
  | 'run_active'
  | 'already_entered'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_progress'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'contact_blocked'
  | 'contact_opted_out'
  | 'optin_required'
  | 'outside_customer_service_window'
  | 'template_not_approved'
  | 'channel_unavailable'
  | 'provider_error'
  | 'webhook_url_refused'
  | 'delivery_not_retryable'
  | 'method_not_allowed'
  | 'not_ready'
  | 'internal_error';

/** One invalid field: its path in the request (`body.content.text`, `query.limit`, `params.uuid`) and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/** A typed error that the error handler turns into an RFC 9457 problem+json answer. */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(status: number, code: ErrorCode, detail: string, errors?: FieldError[], extra?: Record<string, unknown>) {
    super(detail);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.extra = extra;
  }
}

/** 400 naming one invalid field. */
export function invalidField(path: string, message: string): AppError {
  return new AppError(400, 'validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/** 404 for a resource that does not exist in the caller's workspace. */
export function notFound(what: string): AppError {
  return new AppError(404, 'not_found', `${what} not found`);
}
