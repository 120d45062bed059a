/**
 * The SQLite write lock of one process's threads (the API thread and the job thread), on a SharedArrayBuffer: a
 * thread waits for it with Atomics.waitAsync, so its event loop goes on serving while the other thread commits
 * (SQLite's own busy wait would block it, and fail after busy_timeout). Int32 slot 0 holds the holder's party (0:
 * free), slot p counts party p's waiters; a release hands the lock to the next party that waits, so neither thread's
 * back-to-back commits can starve the other. Before them, BigInt64 slots count the parties and, per party, the
 * microseconds it waited for the lock and held it (read by any thread: /metrics on the API thread).
 */
export class SharedWriteLock {
  private readonly state: Int32Array;
  private readonly usage: BigInt64Array;
  private readonly party: number;

  /** `buffer` from SharedWriteLock.buffer(); `party` is this thread's number, 1 to parties. */
  constructor(buffer: SharedArrayBuffer, party: number) {
    ({ state: this.state, usage: this.usage } = layout(buffer));
    if (party < 1 || party >= this.state.length) throw new Error(`party ${party} is not one of 1..${this.state.length - 1}`);
    this.party = party;
  }

  /** A lock for `parties` threads. */
  static buffer(parties = 2): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(8 * (1 + USAGE_SLOTS * parties) + 4 * (parties + 1));
    new BigInt64Array(buffer, 0, 1)[0] = BigInt(parties);
    return buffer;
  }

  /** Frees the lock if `party` held it and forgets its waiters: its thread is gone (it died mid-transaction, SQLite rolled back). */
  static releaseParty(buffer: SharedArrayBuffer, party: number): void {
    const { state } = layout(buffer);
    Atomics.store(state, party, 0);
    if (Atomics.load(state, 0) === party) handOff(state, party);
  }

  /** The party that holds the lock (0: free). */
  static holder(buffer: SharedArrayBuffer): number {
    return Atomics.load(layout(buffer).state, 0);
  }

  /** How long each party (1 to parties, at index party - 1) has waited for the lock and held it since the buffer was made, in seconds. */
  static usage(buffer: SharedArrayBuffer): { waitedSeconds: number; heldSeconds: number }[] {
    const { state, usage } = layout(buffer);
    return Array.from({ length: state.length - 1 }, (_, i) => ({
      waitedSeconds: Number(Atomics.load(usage, 1 + USAGE_SLOTS * i + WAITED)) / 1e6,
      heldSeconds: Number(Atomics.load(usage, 1 + USAGE_SLOTS * i + HELD)) / 1e6,
    }));
  }

  /** Waits for the lock; resolves to the function that releases it. Call it once per holder at a time in a thread. */
  async acquire(): Promise<() => void> {
    const { state, usage, party } = this;
    const slot = 1 + USAGE_SLOTS * (party - 1);
    const asked = process.hrtime.bigint();
    let taken = asked;
    const release = () => {
      Atomics.add(usage, slot + HELD, (process.hrtime.bigint() - taken) / 1000n);
      handOff(state, party);
    };
    if (Atomics.compareExchange(state, 0, 0, party) === 0) return release;
    Atomics.add(state, party, 1);
    // a pending Atomics.waitAsync does not keep the event loop alive: a thread with nothing else to do (the job thread
    // at its start, awaiting its first write) would exit while it waits
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      for (;;) {
        const holder = Atomics.load(state, 0);
        if (holder === party || (holder === 0 && Atomics.compareExchange(state, 0, 0, party) === 0)) {
          // handed to us, or taken free
          taken = process.hrtime.bigint();
          Atomics.add(usage, slot + WAITED, (taken - asked) / 1000n);
          return release;
        }
        const wait = Atomics.waitAsync(state, 0, holder);
        if (wait.async) await wait.value;
      }
    } finally {
      clearInterval(keepAlive);
      Atomics.sub(state, party, 1);
    }
  }
}

const USAGE_SLOTS = 2;
const WAITED = 0;
const HELD = 1;

/** The lock's slots in `buffer` (see SharedWriteLock). */
function layout(buffer: SharedArrayBuffer): { state: Int32Array; usage: BigInt64Array } {
  const parties = Number(new BigInt64Array(buffer, 0, 1)[0]);
  const usageSlots = 1 + USAGE_SLOTS * parties;
  return { usage: new BigInt64Array(buffer, 0, usageSlots), state: new Int32Array(buffer, 8 * usageSlots, parties + 1) };
}

/** Gives the lock held by `from` to the next party with a waiter, else frees it, and wakes the waiters. */
function handOff(state: Int32Array, from: number): void {
  const parties = state.length - 1;
  let next = 0;
  for (let i = 1; i <= parties; i++) {
    const p = ((from - 1 + i) % parties) + 1;
    if (p !== from && Atomics.load(state, p) > 0) {
      next = p;
      break;
    }
  }
  Atomics.store(state, 0, next);
  Atomics.notify(state, 0);
}
