/**
 * The SQLite write lock of one process's threads (the API thread and the job thread), on a SharedArrayBuffer: a
 * thread waits for it with Atomics.waitAsync, so its event loop goes on serving while the other thread commits
 * (SQLite's own busy wait would block it, and fail after busy_timeout). A release hands the lock to the next party
 * that waits, so neither thread's back-to-back commits can starve the other. A party learns of the hand-off only when
 * its event loop gets to it, which takes milliseconds when it is busy serving: a lock handed over more than
 * TAKEOVER_MS ago and still not taken up may be taken over once by another party, whose release then hands it back
 * for good (the lock does not sit idle while work waits for it, and the slow party waits at most one transaction more).
 *
 * Layout (Int32 slots): the lock word (0 free; a party p that holds it; p | HANDED or p | FIRM: handed to p, not yet
 * taken up, may or may not be taken over), the number of parties, when the lock was last handed over (µs, modulo
 * 2^31), and each party's count of waiters.
 */
export class SharedWriteLock {
  private readonly slots: Int32Array;
  private readonly party: number;

  /** `buffer` from SharedWriteLock.buffer(); `party` is this thread's number, 1 to parties. */
  constructor(buffer: SharedArrayBuffer, party: number) {
    this.slots = new Int32Array(buffer);
    const parties = this.slots[PARTIES];
    if (party < 1 || party > parties) throw new Error(`party ${party} is not one of 1..${parties}`);
    this.party = party;
  }

  /** A lock for `parties` threads. */
  static buffer(parties = 2): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(4 * (WAITERS + parties));
    new Int32Array(buffer)[PARTIES] = parties;
    return buffer;
  }

  /** Frees the lock if `party` held it (or it was handed to it) and forgets its waiters: its thread is gone (it died mid-transaction, SQLite rolled back). */
  static releaseParty(buffer: SharedArrayBuffer, party: number): void {
    const slots = new Int32Array(buffer);
    Atomics.store(slots, WAITERS + party - 1, 0);
    if ((Atomics.load(slots, WORD) & PARTY_MASK) === party) handOff(slots, party, false);
  }

  /** The party that holds the lock or was handed it (0: free). */
  static holder(buffer: SharedArrayBuffer): number {
    return Atomics.load(new Int32Array(buffer), WORD) & PARTY_MASK;
  }

  /** Waits for the lock; resolves to the function that releases it. Call it once per holder at a time in a thread. */
  async acquire(): Promise<() => void> {
    const { slots, party } = this;
    const releaser = (tookOver: boolean) => () => handOff(slots, party, tookOver);
    if (Atomics.compareExchange(slots, WORD, 0, party) === 0) return releaser(false);
    Atomics.add(slots, WAITERS + party - 1, 1);
    // a pending Atomics.waitAsync does not keep the event loop alive: a thread with nothing else to do (the job thread
    // at its start, awaiting its first write) would exit while it waits
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      for (;;) {
        const word = Atomics.load(slots, WORD);
        if (word === 0 || (word & PARTY_MASK) === party) {
          // free, or handed to us: take it up (a lost race means the word moved on; look again)
          if (Atomics.compareExchange(slots, WORD, word, party) === word) return releaser(false);
          continue;
        }
        if ((word & HANDED) !== 0 && (nowUs() - Atomics.load(slots, HANDED_AT) + CLOCK_WRAP) % CLOCK_WRAP >= TAKEOVER_MS * 1000) {
          if (Atomics.compareExchange(slots, WORD, word, party) === word) return releaser(true);
          continue;
        }
        const wait = Atomics.waitAsync(slots, WORD, word, (word & HANDED) !== 0 ? TAKEOVER_MS : Infinity);
        if (wait.async) await wait.value;
      }
    } finally {
      clearInterval(keepAlive);
      Atomics.sub(slots, WAITERS + party - 1, 1);
    }
  }
}

/** How long a party that was handed the lock has to take it up before another may take it over, ms. */
export const TAKEOVER_MS = 1;

const WORD = 0;
const PARTIES = 1;
const HANDED_AT = 2;
const WAITERS = 3;
const PARTY_MASK = 0xff;
const HANDED = 0x100;
const FIRM = 0x200;
const CLOCK_WRAP = 2 ** 31;

// the process's monotonic clock, the same in every thread (each thread's performance.now() counts from its own start), in an Int32 slot
function nowUs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return (seconds * 1e6 + Math.floor(nanoseconds / 1000)) % CLOCK_WRAP;
}

/** Gives the lock held by `from` to the next party with a waiter (for good when `from` took it over), else frees it, and wakes the waiters. */
function handOff(slots: Int32Array, from: number, tookOver: boolean): void {
  const parties = slots[PARTIES];
  let next = 0;
  for (let i = 1; i <= parties; i++) {
    const p = ((from - 1 + i) % parties) + 1;
    if (p !== from && Atomics.load(slots, WAITERS + p - 1) > 0) {
      next = p;
      break;
    }
  }
  if (next !== 0) Atomics.store(slots, HANDED_AT, nowUs());
  Atomics.store(slots, WORD, next === 0 ? 0 : next | (tookOver ? FIRM : HANDED));
  Atomics.notify(slots, WORD);
}
