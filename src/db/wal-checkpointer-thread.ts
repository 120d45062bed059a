// The WAL checkpointer's thread (hosted by WalCheckpointer in wal-checkpointer.ts): its own connection to the store,
// which reads the WAL's index every pollMs and copies the WAL into the database file when enough frames wait or the
// writes stopped, and at stop copies it all and truncates it. It blocks nothing but itself: PASSIVE checkpoints never
// wait for readers or writers. Messages: in {stop}.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { walState, type CheckpointerData, type ToCheckpointer } from './wal-checkpointer.ts';

/** A WAL that kept its frames this long (ms) is checkpointed whatever their number, so the next write starts it over. */
const QUIET_MS = 1000;

const { file, pages, pollMs } = workerData as CheckpointerData;
// synchronous=FULL: the checkpoint syncs the WAL before copying it and the database file after
const db = new DatabaseSync(file, { timeout: 1000 });
db.exec('PRAGMA synchronous = FULL');
db.exec('PRAGMA cache_size = -256');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

let lastFrames = -1;
let changedAt = Date.now();
let timer: NodeJS.Timeout | undefined = setTimeout(poll, pollMs);

function poll(): void {
  const wal = walState(file);
  const now = Date.now();
  if (wal) {
    if (wal.frames !== lastFrames) {
      lastFrames = wal.frames;
      changedAt = now;
    }
    const waiting = wal.frames - wal.backfilled;
    // past the threshold; or a long WAL's tail, each time, so it is wholly copied at some write's start and starts
    // over (the writers' backstop does it otherwise); or whatever is left once the writes stop
    if (waiting >= pages || (waiting > 0 && (wal.frames >= 2 * pages || now - changedAt >= QUIET_MS))) passive.get();
  }
  timer = setTimeout(poll, pollMs);
}

parentPort!.on('message', (message: ToCheckpointer) => {
  if (message.type !== 'stop' || !timer) return;
  clearTimeout(timer);
  timer = undefined;
  // the writers have closed: copy everything and leave an empty WAL (close() would copy it too, when last)
  try {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } catch {
    // busy: another process reads the store; what is left is copied by the last connection to close
  }
  db.close();
  parentPort!.close();
});
