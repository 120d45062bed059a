import { request, type IncomingMessage } from 'node:http';

/** One parsed Server-Sent Events frame (comments are counted separately). */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/** A test client reading a Server-Sent Events response with node:http, frame by frame. */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  frames: SseFrame[];
  comments: string[];
  /** The body of a non-200 answer. */
  body: string;
  /** Resolves once `count` frames have arrived (throws after `timeoutMs`). */
  waitFrames(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  /** Resolves once `count` comment lines have arrived. */
  waitComments(count: number, timeoutMs?: number): Promise<string[]>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  /** Disconnects (client side). */
  close(): void;
}

/** Opens `url` as an event stream with these headers; resolves once the response headers (and, for a 200, the first comment) arrived. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const frames: SseFrame[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => { res.on('end', done); res.on('close', done); res.on('error', done as () => void); });
      const client: SseClient = {
        status: res.statusCode ?? 0, headers: res.headers, body: '', frames, comments, ended,
        waitFrames: (count, timeoutMs = 30_000) => until(() => frames.length >= count, () => frames.slice(0, count), `${count} frames`, timeoutMs),
        waitComments: (count, timeoutMs = 30_000) => until(() => comments.length >= count, () => comments.slice(0, count), `${count} comments`, timeoutMs),
        close: () => req.destroy(),
      };
      function until<T>(ready: () => boolean, value: () => T, what: string, timeoutMs: number): Promise<T> {
        return new Promise((ok, fail) => {
          if (ready()) return ok(value());
          const waiter = () => {
            if (!ready()) return;
            clearTimeout(timer);
            waiters.delete(waiter);
            ok(value());
          };
          const timer = setTimeout(() => {
            waiters.delete(waiter);
            fail(new Error(`timed out waiting for ${what}; got ${JSON.stringify({ frames, comments })}`));
          }, timeoutMs);
          waiters.add(waiter);
        });
      }
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = { data: '' };
          let isFrame = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) { frame.id = line.slice(4); isFrame = true; }
            else if (line.startsWith('event: ')) { frame.event = line.slice(7); isFrame = true; }
            else if (line.startsWith('data: ')) { frame.data += line.slice(6); isFrame = true; }
          }
          if (isFrame) frames.push(frame);
        }
        for (const w of [...waiters]) w();
      });
      if (res.statusCode !== 200) {
        res.removeAllListeners('data');
        res.on('data', (chunk: string) => { client.body += chunk; });
        res.on('end', () => resolve(client));
        return;
      }
      client.waitComments(1).then(() => resolve(client), reject);
    });
    req.on('error', reject);
    req.end();
  });
}
