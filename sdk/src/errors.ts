/** A problem (RFC 9457) as Beckon answers errors: a stable `code`, and `errors[].path` on a 400. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

/** Thrown by the SDK's helpers (pagination, the event stream) when Beckon answers with an error. */
export class BeckonError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The problem+json body (or a minimal one when the body was not JSON). */
  readonly problem: Problem;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : { type: 'about:blank', title: 'Error', status, detail: String(body ?? ''), code: 'http_error' };
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'BeckonError';
    this.status = status;
    this.problem = problem;
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).code === 'string' && typeof (body as Problem).detail === 'string';
}
