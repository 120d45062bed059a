// The WAL checkpointer's thread (hosted by WalCheckpointer in wal-checkpointer.ts): its own connection to the store,
// which reads the WAL's index every pollMs and copies the WAL into the database file when enough frames wait or the
// writes stopped, holding the process's write lock meanwhile (so the next write starts the WAL over). At stop it copies
// it all and truncates it. Messages: in {stop}.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { SharedWriteLock } from './shared-write-lock.ts';
import { CHECKPOINTER_PARTY, walState, type CheckpointerData, type ToCheckpointer } from './wal-checkpointer.ts';

/** A WAL that kept its frames this long (ms) is checkpointed whatever their number, so the next write starts it over. */
const QUIET_MS = 1000;

const { file, pages, pollMs, lockBuffer } = workerData as CheckpointerData;
const lock = lockBuffer ? new SharedWriteLock(lockBuffer, CHECKPOINTER_PARTY) : null;
// synchronous=FULL: the checkpoint syncs the WAL before copying it and the database file after
const db = new DatabaseSync(file, { timeout: 1000 });
db.exec('PRAGMA synchronous = FULL');
db.exec('PRAGMA cache_size = -256');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

let lastFrames = -1;
let changedAt = Date.now();
let stopping = false;
let timer: NodeJS.Timeout | undefined;
let polling: Promise<void> = Promise.resolve();

function schedule(): void {
  if (!stopping) timer = setTimeout(() => (polling = poll()), pollMs);
}

async function poll(): Promise<void> {
  const wal = walState(file);
  const now = Date.now();
  if (wal && wal.frames !== lastFrames) {
    lastFrames = wal.frames;
    changedAt = now;
  }
  const waiting = wal ? wal.frames - wal.backfilled : 0;
  if (waiting >= pages || (waiting > 0 && now - changedAt >= QUIET_MS)) {
    // under the write lock: a checkpoint's writes and syncs beside a commit's made its sync wait for them (the writers
    // wait for the lock without blocking their threads), and with no frame committed during the copy the WAL is wholly
    // copied, so the next write starts it over (frames committed meanwhile would keep it growing)
    const release = lock ? await lock.acquire() : null;
    try {
      passive.get();
    } finally {
      release?.();
    }
  }
  schedule();
}

schedule();

parentPort!.on('message', (message: ToCheckpointer) => {
  if (message.type !== 'stop' || stopping) return;
  stopping = true;
  clearTimeout(timer);
  void polling.finally(() => {
    // the writers have closed: copy everything and leave an empty WAL (close() would copy it too, when last)
    try {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // busy: another process reads the store; what is left is copied by the last connection to close
    }
    db.close();
    parentPort!.close();
  });
});
