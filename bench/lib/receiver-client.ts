import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, type Child } from './procs.ts';

const RECEIVER = fileURLToPath(new URL('../receiver.ts', import.meta.url));

/** One endpoint of the receiver: `ok` answers at once, `slow` after delayMs; tracked ones parse bodies. */
export interface EndpointSpec {
  name: string;
  port: number;
  mode: 'ok' | 'slow';
  delayMs?: number;
  track?: boolean;
}

/** What the receiver has counted so far. */
export interface ReceiverStats {
  endpoints: Array<{ name: string; port: number; requests: number; first: number | null; last: number | null }>;
  deliveredCount: number;
  byEvent: Record<string, number>;
  byStatus: Record<string, number>;
  parseErrors: number;
  sample: { body: string; headers: Record<string, string> } | null;
  /** [message uuid, arrival time of its `delivered` webhook] (only when asked for). */
  arrivals?: Array<[string, number]>;
  /** Server-side enqueued→delivered ms from the payloads' status history (only when asked for). */
  serverSide?: number[];
}

/** A receiver process under the bench's control. */
export interface Receiver {
  child: Child;
  stats(arrivals?: boolean): Promise<ReceiverStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the receiver process listening on the given endpoints (loopback only). */
export async function startReceiver(endpoints: EndpointSpec[]): Promise<Receiver> {
  const child = spawnNode([RECEIVER], { ipc: true });
  let next = 0;
  const pending = new Map<number, (data: unknown) => void>();
  child.proc.on('message', (msg: { id: number; data: unknown }) => {
    pending.get(msg.id)?.(msg.data);
    pending.delete(msg.id);
  });
  const call = (cmd: string, extra: Record<string, unknown> = {}) => new Promise<unknown>((resolve, reject) => {
    if (!child.proc.connected) return reject(new Error(`receiver is gone:\n${child.output()}`));
    const id = ++next;
    pending.set(id, resolve);
    child.proc.send({ id, cmd, ...extra });
  });
  const listened = (await call('listen', { endpoints })) as { error?: string };
  if (listened.error) throw new Error(`receiver could not listen: ${listened.error}`);
  return {
    child,
    stats: (arrivals = false) => call('stats', { arrivals }) as Promise<ReceiverStats>,
    reset: async () => void (await call('reset')),
    stop: () => stopChild(child, 'SIGTERM', 2000),
  };
}
