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
export function inlineParameters(sql: string, values: readonly unknown[]): string {
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
      out += literal(values[n - 1]);
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

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * The query function of one checked-out client, pipelining its transactions: `begin` and the PIPELINED statements
 * that follow are held back; the next other statement (or `commit`) goes out with them as one multi-statement simple
 * query, so a transaction costs one round trip per statement whose answer it needs, plus none for its commit. A
 * held-back statement that fails makes that later round trip fail with its error (the transaction is aborted either
 * way); a rollback before anything was sent sends nothing. Savepoints and every statement outside a transaction go
 * out as they come.
 */
export function pipelinedQuery(send: Query): Query {
  let held: string[] = [];
  let afterCommit: string[] = [];
  let inTransaction = false;
  let begun = false;
  const flushWith = async (text: string, values: unknown[], after: string[] = []): Promise<pg.QueryResult> => {
    const statements = [...held, inlineParameters(text, values)];
    if (after.length > 0) statements.push(notificationsBlock(after));
    held = [];
    begun = true;
    const result = await send(statements.join(';\n')) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result[result.length - 1] : result;
  };
  return async (text, values = []) => {
    const word = text.trimStart().slice(0, 9).toLowerCase();
    if (word.startsWith('begin')) {
      inTransaction = true;
      begun = false;
      held = [text];
      afterCommit = [];
      return HELD as unknown as pg.QueryResult;
    }
    if (!inTransaction) return send(text, values);
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
      held.push(inlineParameters(text, values));
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
