import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type SqliteDatabase,
} from 'kysely';
import type { SharedWriteLock } from './shared-write-lock.ts';
import { bumpTables, changedTables, openWriters, watchedTablesOf } from './sqlite-generations.ts';

/** SQLite serves many connections here: reads use their own connection, writes take the write lock. */
class SqliteAdapterWithReader extends SqliteAdapter {
  /** The store's driver, for directSession(). */
  readonly driver: ReadWriteSqliteDriver;

  constructor(driver: ReadWriteSqliteDriver) {
    super();
    this.driver = driver;
  }

  override get supportsMultipleConnections(): boolean {
    return true;
  }

  // SQLite runs DDL inside transactions: the migrator then applies all pending migrations in one transaction, one
  // durable commit instead of one per statement (a fresh store's ~300 statements), and a failure leaves nothing half done
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** A promise-chain lock: one holder at a time, in request order. */
class WriteLock {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; resolves to the function that releases it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

const READ_SQL = /^\s*(select|with)\b/i;

let commits = 0;

/** How many transactions the SQLite stores of this thread committed since it started (bench/costs.ts reads it). */
export function sqliteCommitCount(): number {
  return commits;
}

function run(db: SqliteDatabase, query: CompiledQuery): QueryResult<any> {
  const statement = db.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as any[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: lastInsertRowid == null ? undefined : BigInt(lastInsertRowid) };
}

/** run() of a write, also answering which watched tables (sqlite-generations.ts) it changed. */
function write(db: SqliteDatabase, query: CompiledQuery): { result: QueryResult<any>; changed: number } {
  const result = run(db, query);
  const mask = watchedTablesOf(query.sql);
  if (mask === 0) return { result, changed: 0 };
  const rows = result.numAffectedRows !== undefined ? Number(result.numAffectedRows) : result.rows.length;
  return { result, changed: changedTables(mask, rows) };
}

/**
 * One caller's view of the store. Outside a transaction, SELECTs run on the read connection at once (WAL lets them
 * read the last commit while a write transaction is open) and writes wait for the write lock; inside a
 * transaction everything runs on the write connection, which the session holds until commit or rollback.
 */
class Session implements DatabaseConnection {
  private readonly driver: ReadWriteSqliteDriver;
  release: (() => void) | null = null;
  /** The watched tables the open transaction changed (sqlite-generations.ts): their generations move on again when it ends. */
  changed = 0;

  constructor(driver: ReadWriteSqliteDriver) {
    this.driver = driver;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader } = this.driver.connections;
    if (this.release) {
      // moved on at once (the transaction's own reads must not be answered from memory) and again when it ends
      const { result, changed } = write(writer, query);
      openWriters(changed & ~this.changed, 1);
      this.changed |= changed;
      bumpTables(changed);
      return result;
    }
    if ((query.query && SelectQueryNode.is(query.query)) || READ_SQL.test(query.sql)) return run(reader, query);
    const release = await this.driver.lock.acquire();
    try {
      const { result, changed } = write(writer, query);
      bumpTables(changed);
      return result;
    } finally {
      release();
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { writer, reader } = this.driver.connections;
    for (const row of (this.release ? writer : reader).prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }
}

/**
 * The session a compiled statement of `db` can run on directly, skipping Kysely's executor (its connection provider's
 * promise chain costs more than a small statement, and inside a transaction that time holds the write lock): the open
 * transaction's when `db` is a transaction, else a session outside any. Null on PostgreSQL. A statement run this way
 * runs when called, so the caller must not rely on the order of statements it starts without awaiting each.
 */
export function directSession(db: Kysely<any>): DatabaseConnection | null {
  const adapter = db.getExecutor().adapter;
  if (!(adapter instanceof SqliteAdapterWithReader)) return null;
  return db.isTransaction ? adapter.driver.openSession : adapter.driver.outside;
}

/** The write lock of this thread, then (when another thread of the process writes the same file) the process's. */
class ThreadsWriteLock {
  private readonly local = new WriteLock();
  private readonly shared: SharedWriteLock | undefined;

  constructor(shared: SharedWriteLock | undefined) {
    this.shared = shared;
  }

  async acquire(): Promise<() => void> {
    const releaseLocal = await this.local.acquire();
    if (!this.shared) return releaseLocal;
    const releaseShared = await this.shared.acquire().catch((err: unknown) => {
      releaseLocal();
      throw err;
    });
    return () => {
      releaseShared();
      releaseLocal();
    };
  }
}

class ReadWriteSqliteDriver implements Driver {
  readonly lock: ThreadsWriteLock;
  readonly connections: { writer: SqliteDatabase; reader: SqliteDatabase };
  /** The session of this thread's open write transaction (one at a time: the write lock), or null. */
  openSession: Session | null = null;
  /** A session for statements outside any transaction (it holds no state between them). */
  readonly outside: Session = new Session(this);

  constructor(connections: { writer: SqliteDatabase; reader: SqliteDatabase }, shared?: SharedWriteLock) {
    this.connections = connections;
    this.lock = new ThreadsWriteLock(shared);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Session(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const session = connection as Session;
    session.release = await this.lock.acquire();
    this.openSession = session;
    try {
      // immediate: the write lock is taken (or waited for, busy_timeout) at begin, never on the first write after a
      // read, where another connection's commit (the job thread's) would fail it at once with SQLITE_BUSY_SNAPSHOT
      run(this.connections.writer, CompiledQuery.raw('begin immediate'));
    } catch (error) {
      this.end(session);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      run(this.connections.writer, CompiledQuery.raw('commit'));
      commits++;
    } finally {
      this.end(connection as Session);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      run(this.connections.writer, CompiledQuery.raw('rollback'));
    } finally {
      this.end(connection as Session);
    }
  }

  private end(session: Session): void {
    const release = session.release;
    session.release = null;
    if (this.openSession === session) this.openSession = null;
    // after the commit (or rollback): rows read meanwhile, committed or not, are read again
    bumpTables(session.changed);
    openWriters(session.changed, -1);
    session.changed = 0;
    release?.();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.connections.reader.close();
    this.connections.writer.close();
  }
}

/** Kysely's SQLite dialect over two connections to one WAL file: a reader that never waits for writes, and a locked writer. */
export class ReadWriteSqliteDialect implements Dialect {
  private readonly connections: { writer: SqliteDatabase; reader: SqliteDatabase };
  private readonly shared: SharedWriteLock | undefined;
  private driver: ReadWriteSqliteDriver | null = null;

  /** `shared`: the process's write lock, when another thread (the job thread) writes the same file. */
  constructor(connections: { writer: SqliteDatabase; reader: SqliteDatabase }, shared?: SharedWriteLock) {
    this.connections = connections;
    this.shared = shared;
  }

  createDriver(): Driver {
    return (this.driver ??= new ReadWriteSqliteDriver(this.connections, this.shared));
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapterWithReader(this.createDriver() as ReadWriteSqliteDriver);
  }

  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
