import { Worker } from 'node:worker_threads';
import { closeSync, openSync, readSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import { SharedWriteLock } from './shared-write-lock.ts';

/** Un-checkpointed WAL pages (frames) at which the checkpointer copies them into the database file (SQLite's own default). */
export const WAL_CHECKPOINT_PAGES = 1000;
/**
 * The writing connections' automatic checkpoint when the checkpointer runs: a backstop, so the WAL cannot grow without
 * bound if the checkpointer stops, or if writes come so fast that its checkpoints never leave the WAL wholly copied
 * (a WAL starts over only from a write made when every frame was copied).
 */
export const WAL_BACKSTOP_PAGES = 10_000;

/** The checkpointer's number on the process's write lock (SharedWriteLock.buffer(3)): after the API thread (1) and the job thread (2). */
export const CHECKPOINTER_PARTY = 3;

/** How often the checkpointer reads the WAL's index, in ms. */
const POLL_MS = 25;
/** First wait before restarting a dead checkpointer; doubled with each death soon after, up to MAX. */
const RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
/** A checkpointer that ran this long before dying restarts after RESTART_MS again. */
const STABLE_MS = 60_000;

/** Where a WAL stands: its frames (mxFrame) and how many of them are copied into the database file (nBackfill). */
export interface WalState {
  frames: number;
  backfilled: number;
}

const INDEX_BYTES = 136;

/**
 * Reads the WAL index header of the database `file` (its `-shm` file: https://www.sqlite.org/walformat.html, 2.2):
 * null when there is none, or when a write was changing it (its two copies differ) or it is not one SQLite 3.7+ wrote.
 */
export function walState(file: string): WalState | null {
  let fd: number;
  try {
    fd = openSync(`${file}-shm`, 'r');
  } catch {
    return null;
  }
  try {
    const index = Buffer.alloc(INDEX_BYTES);
    if (readSync(fd, index, 0, INDEX_BYTES, 0) < INDEX_BYTES) return null;
    // the header is written twice, in the host's byte order; a reader trusts it when both copies agree
    if (!index.subarray(0, 48).equals(index.subarray(48, 96))) return null;
    const read = (offset: number) => (index.readUInt32LE(0) === 3007000 ? index.readUInt32LE(offset) : index.readUInt32BE(offset));
    if (read(0) !== 3007000 || index[12] !== 1) return null;
    return { frames: read(16), backfilled: read(96) };
  } finally {
    closeSync(fd);
  }
}

/** What the checkpointer's thread starts from. */
export interface CheckpointerData {
  /** The database file (WAL mode). */
  file: string;
  /** Checkpoint when this many frames wait to be copied. */
  pages: number;
  pollMs: number;
  /** The process's write lock (SharedWriteLock, the thread being CHECKPOINTER_PARTY), held during each copy; none in tests. */
  lockBuffer: SharedArrayBuffer | null;
}

/** Messages between the host and the checkpointer's thread: in {stop}, out {stopped}. */
export type ToCheckpointer = { type: 'stop' };

/**
 * The embedded store's WAL checkpoints on a thread of their own (wal-checkpointer-thread.ts, with its own connection),
 * so no commit of the API or the job thread runs one. When WAL_CHECKPOINT_PAGES frames wait (or the WAL went quiet),
 * the thread takes the process's write lock, which the writers wait for without blocking their threads, and copies
 * them into the database file with PRAGMA wal_checkpoint(PASSIVE); with no commit beside it the copy is whole and the
 * next write starts the WAL over, and no commit's sync waits behind the copy's writes. At stop() it truncates the WAL.
 * A thread that dies is restarted after a backoff; meanwhile the writers' backstop (WAL_BACKSTOP_PAGES) bounds the WAL.
 */
export class WalCheckpointer {
  private readonly data: CheckpointerData;
  private readonly log: FastifyBaseLogger;
  private readonly entry: URL;
  private worker: Worker | null = null;
  private stopping = false;
  private restartMs = RESTART_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** How many times the thread was started (tests and logs). */
  generation = 0;

  /** `file`: the database file; `lockBuffer`: the process's write lock; `entry` lets tests run another thread module. */
  constructor(file: string, log: FastifyBaseLogger, options: { lockBuffer?: SharedArrayBuffer; pages?: number; pollMs?: number; entry?: URL } = {}) {
    this.data = { file, pages: options.pages ?? WAL_CHECKPOINT_PAGES, pollMs: options.pollMs ?? POLL_MS, lockBuffer: options.lockBuffer ?? null };
    this.log = log;
    this.entry = options.entry ?? new URL('./wal-checkpointer-thread.ts', import.meta.url);
  }

  /** Starts the thread (without waiting for it to load). */
  start(): void {
    this.spawn();
  }

  /** Asks the thread to copy the whole WAL into the database file, truncate it and exit; waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    // kept alive until it exits: unref'd, the process would end while it copies, before the stop finishes
    this.worker?.ref();
    this.worker?.postMessage({ type: 'stop' } satisfies ToCheckpointer);
    await this.exited;
  }

  /** The running thread (null between a death and its restart). */
  get thread(): Worker | null {
    return this.worker;
  }

  private spawn(): void {
    // no heap to speak of: a connection, a statement and a timer
    const worker = new Worker(this.entry, { workerData: this.data, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
    // never what keeps the process alive: stop() is how it ends
    worker.unref();
    const startedAt = Date.now();
    this.worker = worker;
    this.generation++;
    this.exited = new Promise<void>((resolveExit) => {
      worker.on('error', (err) => this.log.error({ err }, 'the WAL checkpointer failed'));
      worker.once('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        // a thread that died holding the write lock must not keep the writers waiting
        if (this.data.lockBuffer) SharedWriteLock.releaseParty(this.data.lockBuffer, CHECKPOINTER_PARTY);
        resolveExit();
        if (this.stopping) return;
        this.restartMs = Date.now() - startedAt >= STABLE_MS ? RESTART_MS : Math.min(MAX_RESTART_MS, this.restartMs * 2);
        this.log.error({ code, restartInMs: this.restartMs }, 'the WAL checkpointer stopped unexpectedly; restarting it (the writers checkpoint meanwhile past the backstop)');
        this.restartTimer = setTimeout(() => {
          if (!this.stopping) this.spawn();
        }, this.restartMs);
        this.restartTimer.unref();
      });
    });
  }
}
