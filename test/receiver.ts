import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, body as text. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** How the receiver answers one request. */
export interface Answer {
  /** HTTP status (default 200). */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
  /** Destroy the connection without answering. */
  hangUp?: boolean;
}

/** A fixed answer, or one computed from the request and its 0-based index. */
export type Responder = Answer | ((request: ReceivedRequest, index: number) => Answer);

/**
 * A local webhook receiver for tests: records every request, answers with programmable status, headers, body and
 * delay (one-shot answers queued with `next`, then a default), and can hold answers until `release()`.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private queued: Answer[] = [];
  private fallback: Responder = { status: 200, body: 'ok' };
  private holding = false;
  private held: (() => void)[] = [];
  private waiters: (() => void)[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: flatten(req.headers), body: Buffer.concat(chunks).toString('utf8') };
        const index = this.requests.push(request) - 1;
        for (const wake of this.waiters.splice(0)) wake();
        const queued = this.queued.shift();
        const answer = queued ?? (typeof this.fallback === 'function' ? this.fallback(request, index) : this.fallback);
        const send = () => {
          if (answer.hangUp) return void req.socket.destroy();
          res.writeHead(answer.status ?? 200, answer.headers ?? {});
          res.end(answer.body ?? '');
        };
        const later = () => (answer.delayMs ? void setTimeout(send, answer.delayMs) : send());
        if (this.holding) this.held.push(later);
        else later();
      });
    });
  }

  /** Starts a receiver on 127.0.0.1 and a free port. */
  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', () => resolve()));
    return receiver;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Its base URL plus an optional path, e.g. http://127.0.0.1:PORT/hook. */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Sets the answer given when no one-shot answer is queued. */
  answer(responder: Responder): this {
    this.fallback = responder;
    return this;
  }

  /** Queues one-shot answers for the next requests, in order. */
  next(...answers: Answer[]): this {
    this.queued.push(...answers);
    return this;
  }

  /** From now on, records requests but answers none until release(). */
  hold(): this {
    this.holding = true;
    return this;
  }

  /** Answers every held request and stops holding. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Requests whose JSON body has this `event` field. */
  ofEvent(type: string): ReceivedRequest[] {
    return this.requests.filter((r) => (JSON.parse(r.body) as { event?: string }).event === type);
  }

  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  async waitForRequests(count: number, timeoutMs = 30_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver got ${this.requests.length} of ${count} requests in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests.slice(0, count);
  }

  /** Answers anything held, closes every connection and the server. */
  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
}

/** A URL on 127.0.0.1 whose port refuses connections (a server was bound there, then closed). */
export async function refusingUrl(path = '/hook'): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
