import type { Client } from 'openapi-fetch';
import { BeckonError } from './errors.ts';
import type { components, EventType, paths } from './schema.ts';

/** One event of the live stream: the body webhooks deliver, with its type narrowed. */
export type BeckonEvent = Omit<components['schemas']['Event'], 'event'> & { event: EventType };

/** What the live event stream is opened with. */
export interface StreamOptions {
  /** Only these types (`custom.*` for every custom event); default all. */
  types?: (EventType | 'custom.*')[];
  /** Start after this event id (resume); default: from now on. */
  lastEventId?: string;
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Wait before reconnecting after the connection drops (default: the server's `retry:`, 3 s). */
  reconnectDelayMs?: number;
}

interface Frame {
  id?: string;
  event?: string;
  data: string[];
}

/** Splits a text/event-stream body into frames (the WHATWG rules: CR, LF or CRLF line ends, comments, multi-line data). */
async function* frames(body: ReadableStream<Uint8Array>, onRetry: (ms: number) => void): AsyncGenerator<Frame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let frame: Frame = { data: [] };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // a trailing CR may be the first half of a CRLF: keep it for the next chunk
      const held = buffer.endsWith('\r') ? '\r' : '';
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? '') + held;
      for (const line of lines) {
        if (line === '') {
          if (frame.data.length > 0 || frame.id !== undefined || frame.event !== undefined) yield frame;
          frame = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') frame.id = value;
        else if (field === 'event') frame.event = value;
        else if (field === 'data') frame.data.push(value);
        else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(done, ms);
  function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
  signal.addEventListener('abort', done, { once: true });
});

/**
 * The workspace's live events (GET /v1/events/stream) as an async iterator: each event once, in order; when the
 * connection drops it reconnects with Last-Event-ID (the last event seen), so nothing is missed or repeated. An error
 * answer (bad filter, unknown key) throws a BeckonError; breaking out of the loop or the signal closes the stream.
 */
export async function* streamEvents(client: Client<paths>, options: StreamOptions = {}): AsyncGenerator<BeckonEvent, void, undefined> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  let lastEventId = options.lastEventId;
  let delay = options.reconnectDelayMs ?? 3000;
  try {
    while (!controller.signal.aborted) {
      try {
        const { response, error } = await client.GET('/v1/events/stream', {
          params: { query: options.types ? { type: options.types } : {}, header: lastEventId ? { 'last-event-id': lastEventId } : {} },
          headers: { accept: 'text/event-stream' },
          parseAs: 'stream',
          signal: controller.signal,
        });
        if (!response.ok) {
          if (response.status < 500 && response.status !== 429) throw new BeckonError(response.status, error);
        } else if (response.body) {
          for await (const frame of frames(response.body, (ms) => { if (options.reconnectDelayMs === undefined) delay = ms; })) {
            if (frame.data.length === 0) continue;
            const event = JSON.parse(frame.data.join('\n')) as BeckonEvent;
            if (frame.id) lastEventId = frame.id;
            yield event;
          }
        }
      } catch (err) {
        // a bad frame (SyntaxError) would come again on every reconnect: thrown, like an error answer
        if (err instanceof BeckonError || err instanceof SyntaxError || controller.signal.aborted) throw err;
        // a network error: reconnect below
      }
      await sleep(delay, controller.signal);
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    controller.abort();
  }
}
