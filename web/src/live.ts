// One live event stream (the SDK's, over GET /v1/events/stream with the session cookie) shared by every page: each
// page subscribes to the events it shows and the stream closes when nobody listens.
import { api } from './api.ts';
import type { BeckonEvent } from '../../sdk/src/index.ts';

type Listener = (event: BeckonEvent) => void;
const listeners = new Set<Listener>();
let controller: AbortController | null = null;

async function run(signal: AbortSignal): Promise<void> {
  try {
    for await (const event of api.stream({ signal, reconnectDelayMs: 1000 })) {
      for (const fn of listeners) fn(event);
    }
  } catch {
    // signed out or the stream was refused: pages keep their last state; a later subscriber opens it again
    if (controller?.signal === signal) controller = null;
  }
}

/** Calls `fn` with every live event until the returned function is called. */
export function onEvents(fn: Listener): () => void {
  listeners.add(fn);
  if (!controller) {
    controller = new AbortController();
    void run(controller.signal);
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && controller) {
      controller.abort();
      controller = null;
    }
  };
}
