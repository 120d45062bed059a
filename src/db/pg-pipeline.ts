import { createRequire } from 'node:module';
import type pg from 'pg';

// pg is required on first use (a pipelined PostgreSQL transaction), so the SQLite store, which imports this file for
// PIPELINED, never loads it
const require = createRequire(import.meta.url);
let driver: typeof pg | undefined;
const loadPg = (): typeof pg => (driver ??= require('pg') as typeof pg);

/**
 * Marks a statement whose result nobody reads and whose failure fails its transaction (inserts of events, messages,
 * jobs, notifications …): inside a transaction on PostgreSQL it is held back and sent with the next statement that
 * needs an answer, or with the commit, in one round trip (see pipelinedQuery). Outside a transaction, and on SQLite,
 * it is an ordinary comment.
 */
export const PIPELINED = '/* pipelined */ ';

/**
 * Marks a notification (`select pg_notify(…)`) to send once its transaction has committed. Inside a transaction on
 * PostgreSQL it is held back and sent right after the `commit`, in the same round trip, in a statement of its own
 * whose failure is swallowed: a NOTIFY inside a transaction takes a database-wide lock at commit and holds it until
 * the commit is flushed to disk, so every notifying transaction would commit one after the other. Outside a
 * transaction it goes out at once. Listeners miss nothing they could read: the notification follows the commit.
 */
export const AFTER_COMMIT = '/* after commit */ ';

/** The result handed back for a statement held back: no rows (its caller reads none). */
const HELD = { command: 'SELECT', rowCount: 0, rows: [], fields: [] };

/** A parameter as a SQL literal of unknown type, as the server would have inferred the bound parameter. */
function literal(value: unknown): string {
  // pg's own conversion of a parameter to its text form (dates, arrays, JSON), as it does for bound parameters
  const { utils } = loadPg() as unknown as { utils: { prepareValue(value: unknown): string | Buffer | null } };
  const raw = utils.prepareValue(value);
  if (raw === null) return 'NULL';
  if (Buffer.isBuffer(raw)) return `'\\x${raw.toString('hex')}'`;
  return loadPg().escapeLiteral(raw);
}

/** `sql` with its $n placeholders replaced by the literals of `values` (quoted identifiers and strings left alone). */
export function inlineParameters(sql: string, values: readonly unknown[], onParameter?: (n: number) => void): string {
  if (values.length === 0) return sql;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > values.length) throw new Error(`statement names $${n} but has ${values.length} parameters`);
      if (onParameter) onParameter(n);
      else out += literal(values[n - 1]);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/** Sends one query on a connection: simple protocol without values, else extended, as the named statement `name` when given. */
type Query = (text: string, values?: unknown[], name?: string) => Promise<pg.QueryResult>;

/** A statement text is prepared after it was sent this many times in the process (one-off texts never are). */
const PREPARE_AFTER = 2;
/** At most this many distinct statements are prepared per process (each connection prepares those it runs). */
const MAX_PREPARED = 500;
/** PREPAREs sent in front of one round trip at most. */
const MAX_PREPARES_PER_TRIP = 50;
const PREPARABLE = /^(select|insert|update|delete|with|values)\b/i;

/** What the process knows of its statements: how often each text was sent, the names of the prepared ones, those that cannot be. */
const statements = { seen: new Map<string, number>(), names: new Map<string, { name: string; params: number }>(), unpreparable: new Set<string>() };

/**
 * One connection's prepared statements, kept across checkouts: the names PREPAREd on it by SQL (pipelined
 * transactions; the extended protocol's named statements are tracked by pg itself), those to PREPARE in front of its
 * next transaction, and its transaction status after the last round trip ('I' idle, 'T' in a transaction, 'E' failed;
 * undefined while a round trip's answer is not complete).
 */
export interface ConnectionStatements {
  prepared: Set<string>;
  pending: Map<string, string>;
  status(): string | undefined;
  /** Forgets the connection's named statements of the extended protocol (pg's own record of them). */
  forgetNamed(): void;
  /** Set when a prepared statement's plan no longer fits the schema: the connection's statements are deallocated before its next use. */
  stale: boolean;
}

/** A new ConnectionStatements for a connection whose transaction status `status` reads and whose named statements `forgetNamed` forgets. */
export function connectionStatements(status: () => string | undefined, forgetNamed: () => void = () => {}): ConnectionStatements {
  return { prepared: new Set(), pending: new Map(), status, forgetNamed, stale: false };
}

/** "cached plan must not change result type": a table of a prepared statement changed (a migration by a newer process). */
const PLAN_CHANGED = '0A000';

/** The text of the statement prepared as `name` in this process (diagnostics and tests), undefined when none is. */
export function preparedStatementText(name: string): string | undefined {
  for (const [text, entry] of statements.names) if (entry.name === name) return text;
  return undefined;
}

/** The highest $n of `sql` (quoted text and identifiers skipped), 0 when it has none. */
function highestParameter(sql: string): number {
  let highest = 0;
  inlineParameters(sql, { length: Number.MAX_SAFE_INTEGER } as unknown[], (n) => {
    highest = Math.max(highest, n);
  });
  return highest;
}

/** The connection's transaction status once its answer is complete (pg rejects a query before its ReadyForQuery arrives). */
async function settledStatus(connection: ConnectionStatements): Promise<string | undefined> {
  for (let i = 0; i < 1000; i++) {
    const status = connection.status();
    if (status !== undefined) return status;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return undefined;
}

/**
 * The prepared name of a statement sent with `values`, once it is hot (sent PREPARE_AFTER times) and preparable (a
 * select, insert, update, delete, with or values whose $n are exactly its values); undefined while it is not.
 */
function preparedName(text: string, values: readonly unknown[]): string | undefined {
  const known = statements.names.get(text);
  if (known) return known.params === values.length ? known.name : undefined;
  if (statements.unpreparable.has(text) || statements.names.size >= MAX_PREPARED) return undefined;
  const count = (statements.seen.get(text) ?? 0) + 1;
  if (count < PREPARE_AFTER) {
    if (statements.seen.size >= 10_000) statements.seen.clear();
    statements.seen.set(text, count);
    return undefined;
  }
  statements.seen.delete(text);
  const body = text.replace(/^(\s|\/\*[^*]*\*\/)+/, '');
  if (!PREPARABLE.test(body) || highestParameter(text) !== values.length) {
    if (statements.unpreparable.size >= 10_000) statements.unpreparable.clear();
    statements.unpreparable.add(text);
    return undefined;
  }
  const name = `beckon_${statements.names.size + 1}`;
  statements.names.set(text, { name, params: values.length });
  return name;
}

/**
 * The query function of one checked-out client, pipelining its transactions: `begin` and the PIPELINED statements
 * that follow are held back; the next other statement (or `commit`) goes out with them as one multi-statement simple
 * query, so a transaction costs one round trip per statement whose answer it needs, plus none for its commit. A
 * held-back statement that fails makes that later round trip fail with its error (the transaction is aborted either
 * way); a rollback before anything was sent sends nothing. Savepoints and every statement outside a transaction go
 * out as they come.
 *
 * With `connection` (the client's ConnectionStatements), hot statements are prepared, so the server parses and plans
 * them once per connection instead of at every send (parsing and planning were about a third of its CPU per send):
 * outside a transaction as the extended protocol's named statements; inside one as `execute name(literals…)`, the
 * `prepare name as …` going out in front of the `begin` of the connection's next transaction, in the same round trip.
 * A PREPARE that fails (a parameter whose type only a literal gives) fails before the `begin` ran: that round trip is
 * sent again without PREPAREs and the statement is never prepared again. A statement whose table changed since it was
 * prepared fails once ("cached plan must not change result type"); the connection then deallocates all of its
 * statements before its next use, and prepares them again as they come.
 */
export function pipelinedQuery(sendRaw: Query, connection?: ConnectionStatements): Query {
  const send: Query = connection
    ? (text, values, name) => sendRaw(text, values, name).catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code === PLAN_CHANGED) connection.stale = true;
      throw error;
    })
    : sendRaw;
  // after a schema change, the connection's prepared statements go before anything else runs on it
  const refresh = async (): Promise<void> => {
    if (!connection?.stale) return;
    connection.stale = false;
    connection.prepared.clear();
    connection.pending.clear();
    connection.forgetNamed();
    await sendRaw('deallocate all');
  };
  let held: string[] = [];
  let afterCommit: string[] = [];
  let inTransaction = false;
  let begun = false;
  const render = (text: string, values: unknown[]): string => {
    const name = connection ? preparedName(text, values) : undefined;
    if (name && connection) {
      if (connection.prepared.has(name)) return `execute ${name}${values.length ? `(${values.map(literal).join(', ')})` : ''}`;
      if (!statements.unpreparable.has(text)) connection.pending.set(text, name);
    }
    return inlineParameters(text, values);
  };
  const takePending = (): [string, string][] => {
    if (!connection || connection.pending.size === 0) return [];
    const taken = [...connection.pending].slice(0, MAX_PREPARES_PER_TRIP);
    for (const [text] of taken) connection.pending.delete(text);
    return taken.filter(([text, name]) => !statements.unpreparable.has(text) && !connection.prepared.has(name));
  };
  const flushWith = async (text: string, values: unknown[], after: string[] = []): Promise<pg.QueryResult> => {
    const trip = [...held, render(text, values)];
    const prepares = begun ? [] : takePending();
    if (after.length > 0) trip.push(notificationsBlock(after));
    held = [];
    begun = true;
    const last = (result: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(result) ? result[result.length - 1] : result);
    if (prepares.length === 0) return last(await send(trip.join(';\n')) as pg.QueryResult | pg.QueryResult[]);
    try {
      const result = await send([...prepares.map(([body, name]) => `prepare ${name} as ${body}`), ...trip].join(';\n')) as pg.QueryResult | pg.QueryResult[];
      for (const [, name] of prepares) connection!.prepared.add(name);
      return last(result);
    } catch (error) {
      const status = await settledStatus(connection!);
      // the begin ran, so did every PREPARE in front of it (they outlive the transaction's rollback)
      if (status === 'E' || status === 'T') for (const [, name] of prepares) connection!.prepared.add(name);
      if (status !== 'I') throw error;
      // a PREPARE failed and nothing after it ran (not even the begin): never prepare these again, send the trip as it was
      for (const [body] of prepares) statements.unpreparable.add(body);
      return last(await send(trip.join(';\n')) as pg.QueryResult | pg.QueryResult[]);
    }
  };
  return async (text, values = []) => {
    const word = text.trimStart().slice(0, 9).toLowerCase();
    if (!inTransaction && connection?.stale) await refresh();
    if (word.startsWith('begin')) {
      inTransaction = true;
      begun = false;
      held = [text];
      afterCommit = [];
      return HELD as unknown as pg.QueryResult;
    }
    if (!inTransaction) {
      const name = connection && values.length > 0 ? preparedName(text, values) : undefined;
      return name ? send(text, values, `${name}x`) : send(text, values);
    }
    if (word.startsWith('rollback') && !word.startsWith('rollback to')) {
      const sent = begun;
      inTransaction = false;
      held = [];
      afterCommit = [];
      return sent ? send(text, values) : HELD as unknown as pg.QueryResult;
    }
    if (word.startsWith('commit')) {
      inTransaction = false;
      const after = afterCommit;
      afterCommit = [];
      if (!begun && held.length <= 1 && after.length === 0) {
        held = [];
        return HELD as unknown as pg.QueryResult;
      }
      return flushWith(text, values, after);
    }
    if (text.startsWith(AFTER_COMMIT)) {
      afterCommit.push(inlineParameters(text.slice(AFTER_COMMIT.length), values));
      return HELD as unknown as pg.QueryResult;
    }
    if (text.startsWith(PIPELINED)) {
      held.push(render(text, values));
      return HELD as unknown as pg.QueryResult;
    }
    return flushWith(text, values);
  };
}

/**
 * The AFTER_COMMIT statements (each `select …`) as one anonymous block that runs them in order and swallows any
 * error, so a failed notification never reports a committed transaction as failed.
 */
function notificationsBlock(statements: string[]): string {
  const body = statements.map((s) => `${s.trim().replace(/^select\s/i, 'perform ')};`).join(' ');
  const tag = '$beckon_after_commit$';
  if (body.includes(tag)) throw new Error('an after-commit statement contains the block\'s quote tag');
  return `do ${tag}begin ${body} exception when others then null; end${tag}`;
}

/** A query compiled with the PIPELINED mark in front (for prepared(): a statement whose answer nobody reads). */
export function pipelined<T extends { compile(): { sql: string } }>(query: T): T {
  return { compile: () => { const compiled = query.compile(); return { ...compiled, sql: PIPELINED + compiled.sql }; } } as T;
}
