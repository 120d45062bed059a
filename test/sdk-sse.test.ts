// The SDK's Server-Sent Events reader on byte-exact bodies the server could send split anywhere by the network:
// CRLF line ends cut between CR and LF, multi-line data, comments, retry:. Store-independent: the SQLite pass only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBeckon } from '../sdk/src/index.ts';
import { TEST_STORE } from './helpers.ts';

const once = { skip: TEST_STORE === 'postgres' ? 'store-independent: runs in the SQLite pass' : false } as const;

/** A fetch answering each stream request with the next body, delivered in the given chunks. */
function chunkedFetch(bodies: string[][]): { fetch: typeof fetch; lastEventIds: (string | null)[] } {
  const lastEventIds: (string | null)[] = [];
  const encoder = new TextEncoder();
  return {
    lastEventIds,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      lastEventIds.push(request.headers.get('last-event-id'));
      const chunks = bodies.shift();
      if (!chunks) return new Promise<Response>(() => {});
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    },
  };
}

const body = (id: string, n: number) => JSON.stringify({ event: 'message_created', payload: { n }, id, created_at: '2026-12-06T00:00:00.000Z' });

test('sdk: stream parses frames split anywhere (CR|LF, multi-line data, comments) and resumes after the last id', once, async () => {
  const first = body('e1', 1);
  const second = body('e2', 2);
  const cut = second.indexOf(',"payload"') + 1;
  const { fetch, lastEventIds } = chunkedFetch([
    ['retry: 5\r', '\n: connected\r\n\r\n', 'id: e1\r', '\nevent: message_created\r\ndata: ', first.slice(0, 10), first.slice(10), '\r\n\r', '\n: heartbeat\n\n'],
    [`id: e2\nevent: message_created\ndata: ${second.slice(0, cut)}\ndata: ${second.slice(cut)}\n\n`],
  ]);
  const sdk = createBeckon({ baseUrl: 'http://127.0.0.1:9', apiKey: 'bk_x', fetch });
  const seen: unknown[] = [];
  for await (const event of sdk.stream({ reconnectDelayMs: 1 })) {
    seen.push(event.payload);
    if (seen.length === 2) break;
  }
  // the second frame's data came in two data: lines, joined by a newline (valid JSON whitespace)
  assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(lastEventIds, [null, 'e1']);
});
