import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { connectPostgres } from './connect-pg.ts';
import { createPgDatabase, pgUnavailable } from '../../test/pg-fresh.ts';
import { AFTER_COMMIT, connectionStatements, inlineParameters, pipelinedQuery, PIPELINED, preparedStatementText } from './pg-pipeline.ts';

test('inlineParameters: every $n becomes its value as a quoted literal; quoted text and identifiers are left alone', () => {
  const values = ["it's", null, 42, { a: "b'c" }, ['x', 'y'], 'a\\b', 3, 4, 5, 'ten'];
  const sql = `select $1, $2, $3, $4::json, $5, $6, '$1 stays', "col$1", $10`;
  assert.equal(inlineParameters(sql, values),
    `select 'it''s', NULL, '42', '{"a":"b''c"}'::json, '{"x","y"}',  E'a\\\\b', '$1 stays', "col$1", 'ten'`);
  assert.throws(() => inlineParameters('select $2', [1]), /names \$2 but has 1 parameters/);
});

test('pipelinedQuery: begin and marked statements wait for the next statement that needs an answer or the commit', async () => {
  const sent: string[] = [];
  const query = pipelinedQuery(async (text, values) => {
    sent.push(values === undefined ? text : `${text} ${JSON.stringify(values)}`);
    return { command: 'SELECT', rowCount: 1, rows: [{ n: sent.length }], fields: [], oid: 0 };
  });
  await query('select 1 where $1', [true]);
  await query('begin');
  await query(`${PIPELINED}insert into t values ($1)`, ['a']);
  const read = await query('select n from t where x = $1', ['b']);
  await query(`${PIPELINED}insert into t values ($1)`, ['c']);
  await query('commit');
  assert.deepEqual(read.rows, [{ n: 2 }]); // the answer of the round trip's last statement
  assert.deepEqual(sent, [
    'select 1 where $1 [true]',
    `begin;\n${PIPELINED}insert into t values ('a');\nselect n from t where x = 'b'`,
    `${PIPELINED}insert into t values ('c');\ncommit`,
  ]);
  // a transaction rolled back before anything went out sends nothing; one with nothing held commits with nothing sent
  sent.length = 0;
  await query('begin');
  await query(`${PIPELINED}insert into t values ($1)`, ['d']);
  await query('rollback');
  await query('begin');
  await query('commit');
  assert.deepEqual(sent, []);
});

test('pipelinedQuery: after-commit statements follow the commit in its round trip, vanish with a rollback, and go out at once outside a transaction', async () => {
  const sent: string[] = [];
  const query = pipelinedQuery(async (text, values) => {
    sent.push(values === undefined ? text : `${text} ${JSON.stringify(values)}`);
    return { command: 'SELECT', rowCount: 0, rows: [], fields: [], oid: 0 };
  });
  await query('begin');
  await query(`${PIPELINED}insert into t values ($1)`, ['a']);
  await query(`${AFTER_COMMIT}select pg_notify('c', $1)`, ["w'1"]);
  await query(`${AFTER_COMMIT}select pg_notify('d', 'x')`, []);
  await query('commit');
  await query('begin');
  await query(`${AFTER_COMMIT}select pg_notify('c', $1)`, ['lost']);
  await query('rollback');
  await query('begin');
  await query(`${AFTER_COMMIT}select pg_notify('c', $1)`, ['alone']);
  await query('commit');
  await query(`${AFTER_COMMIT}select pg_notify('c', $1)`, ['now']);
  assert.deepEqual(sent, [
    `begin;\n${PIPELINED}insert into t values ('a');\ncommit;\ndo $beckon_after_commit$begin perform pg_notify('c', 'w''1'); perform pg_notify('d', 'x'); exception when others then null; end$beckon_after_commit$`,
    `begin;\ncommit;\ndo $beckon_after_commit$begin perform pg_notify('c', 'alone'); exception when others then null; end$beckon_after_commit$`,
    `${AFTER_COMMIT}select pg_notify('c', $1) ["now"]`,
  ]);
});

test('pipelinedQuery with a connection: a statement sent twice is prepared in front of a begin, then executed by name; outside a transaction it is a named statement', async () => {
  const sent: string[] = [];
  const query = pipelinedQuery(async (text, values, name) => {
    sent.push(name === undefined ? text : `[${name}] ${text} ${JSON.stringify(values)}`);
    return { command: 'SELECT', rowCount: 0, rows: [], fields: [], oid: 0 };
  }, connectionStatements(() => 'I'));
  const insert = `${PIPELINED}insert into prep_t (a, b) values ($1, $2)`;
  for (let n = 1; n <= 3; n++) {
    await query('begin');
    await query(insert, [n, `it's ${n}`]);
    await query('commit');
  }
  const name = /^prepare (beckon_\d+) as/.exec(sent[1])?.[1] ?? 'none';
  assert.equal(preparedStatementText(name), insert);
  assert.deepEqual(sent, [
    `begin;\n${PIPELINED}insert into prep_t (a, b) values ('1', 'it''s 1');\ncommit`,
    `prepare ${name} as ${insert};\nbegin;\n${PIPELINED}insert into prep_t (a, b) values ('2', 'it''s 2');\ncommit`,
    `begin;\nexecute ${name}('3', 'it''s 3');\ncommit`,
  ]);
  // outside a transaction: the extended protocol, as a named statement once the text is hot (pg parses it once per connection)
  sent.length = 0;
  for (let n = 1; n <= 3; n++) await query('select a from prep_t where b = $1', [n]);
  const named = /^\[(beckon_\d+x)\]/.exec(sent[1])?.[1] ?? 'none';
  assert.deepEqual(sent, ['select a from prep_t where b = $1', `[${named}] select a from prep_t where b = $1 [2]`, `[${named}] select a from prep_t where b = $1 [3]`]);
  // never prepared: a savepoint, a statement whose $n are not exactly its values
  sent.length = 0;
  for (let n = 1; n <= 3; n++) {
    await query('begin');
    await query('savepoint unit');
    await query(`${PIPELINED}insert into prep_u (a) values ($1)`, [n, 'unused']);
    await query('commit');
  }
  assert.equal(sent.length, 6);
  assert.ok(sent.every((trip) => !/prepare|execute/.test(trip)), sent.join('\n---\n'));
});

test('pipelinedQuery with a connection: a PREPARE that fails before the begin sends the round trip again without it and never prepares that statement again', async () => {
  const sent: string[] = [];
  let status: string | undefined = 'I';
  const query = pipelinedQuery(async (text) => {
    sent.push(text);
    if (text.startsWith('prepare')) {
      status = undefined; // the error arrives before the ReadyForQuery that says the connection is idle
      setImmediate(() => { status = 'I'; });
      throw Object.assign(new Error('could not determine data type of parameter $1'), { code: '42P18' });
    }
    status = text === 'commit' ? 'I' : 'T';
    return { command: 'SELECT', rowCount: 1, rows: [{ x: sent.length }], fields: [], oid: 0 };
  }, connectionStatements(() => status));
  const results: unknown[] = [];
  for (let n = 1; n <= 4; n++) {
    await query('begin');
    results.push((await query('select $1 as prep_x', [n])).rows);
    await query('commit');
  }
  const name = /^prepare (beckon_\d+) as/.exec(sent[2])?.[1] ?? 'none';
  assert.deepEqual(sent, [
    `begin;\nselect '1' as prep_x`, 'commit',
    `prepare ${name} as select $1 as prep_x;\nbegin;\nselect '2' as prep_x`, `begin;\nselect '2' as prep_x`, 'commit',
    `begin;\nselect '3' as prep_x`, 'commit',
    `begin;\nselect '4' as prep_x`, 'commit',
  ]);
  assert.deepEqual(results, [[{ x: 1 }], [{ x: 4 }], [{ x: 6 }], [{ x: 8 }]]);
});

test('pipelinedQuery with a connection: a statement that fails after the begin fails its transaction, and the PREPAREs in front of it hold', async () => {
  const sent: string[] = [];
  let status = 'I';
  const query = pipelinedQuery(async (text) => {
    sent.push(text);
    if (text.includes("'boom'")) {
      status = 'E';
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    }
    status = text === 'commit' || text === 'rollback' ? 'I' : 'T';
    return { command: 'SELECT', rowCount: 0, rows: [], fields: [], oid: 0 };
  }, connectionStatements(() => status));
  const insert = `${PIPELINED}insert into prep_v (a) values ($1)`;
  for (const value of ['a', 'boom', 'c']) {
    await query('begin');
    await query(insert, [value]);
    const committed = query('commit');
    if (value === 'boom') {
      await assert.rejects(committed, /duplicate key/);
      await query('rollback');
    } else await committed;
  }
  const name = /^prepare (beckon_\d+) as/.exec(sent[1])?.[1] ?? 'none';
  assert.deepEqual(sent, [
    `begin;\n${insert.replace('$1', "'a'")};\ncommit`,
    `prepare ${name} as ${insert};\nbegin;\n${insert.replace('$1', "'boom'")};\ncommit`, 'rollback',
    `begin;\nexecute ${name}('c');\ncommit`,
  ]);
});

test('PostgreSQL: prepared statements read and write as before, and a table changed under them fails one statement, then they are prepared again', { skip: (await pgUnavailable()) ?? false }, async (t) => {
  const { url, drop } = await createPgDatabase('beckon_prep');
  const { db } = connectPostgres(url, 1); // one connection: every statement below runs on it
  t.after(async () => {
    await db.destroy();
    await drop();
  });
  await sql`create table prep_w (a int primary key, b text)`.execute(db);
  const read = (a: number) => sql<Record<string, unknown>>`select * from prep_w where a = ${a}`.execute(db).then((r) => r.rows);
  const write = (a: number) => db.transaction().execute(async (trx) => {
    await sql`${sql.raw(PIPELINED)}insert into prep_w (a, b) values (${a}, ${`it's ${a}`})`.execute(trx);
    return (await sql<Record<string, unknown>>`select * from prep_w where a = ${a}`.execute(trx)).rows;
  });
  for (let a = 1; a <= 4; a++) {
    assert.deepEqual(await write(a), [{ a, b: `it's ${a}` }]);
    assert.deepEqual(await read(a), [{ a, b: `it's ${a}` }]);
  }
  const names = (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db)).rows.map((r) => r.name);
  assert.equal(names.filter((n) => /^beckon_\d+x$/.test(n)).length, 1, names.join()); // the read, by the extended protocol
  assert.equal(names.filter((n) => /^beckon_\d+$/.test(n)).length, 2, names.join()); // the transaction's insert and select, by PREPARE
  // planned for each execution's values, never by a generic plan made while the table was small
  assert.deepEqual((await sql<{ s: string }>`select current_setting('plan_cache_mode') as s`.execute(db)).rows, [{ s: 'force_custom_plan' }]);

  // another process adds a column: each prepared `select *` fails once, then the connection prepares its statements again
  await sql`alter table prep_w add column c int default 7`.execute(db);
  await assert.rejects(read(1), /cached plan must not change result type/);
  assert.deepEqual(await read(1), [{ a: 1, b: "it's 1", c: 7 }]);
  assert.deepEqual(await write(5), [{ a: 5, b: "it's 5", c: 7 }]); // every statement of the connection went: prepared again
  for (let a = 6; a <= 7; a++) assert.deepEqual(await write(a), [{ a, b: `it's ${a}`, c: 7 }]);
  // the same inside a transaction: it fails (rolled back whole), the next one runs
  await sql`alter table prep_w drop column c`.execute(db);
  await assert.rejects(write(8), /cached plan must not change result type/);
  assert.deepEqual(await write(8), [{ a: 8, b: "it's 8" }]);
  assert.deepEqual((await sql<{ n: number }>`select count(*)::int as n from prep_w`.execute(db)).rows, [{ n: 8 }]); // 1 to 8, the failed attempt at 8 rolled back
});

test('PostgreSQL: with prepare off (PgBouncer in transaction mode), nothing is prepared on the connection', { skip: (await pgUnavailable()) ?? false }, async (t) => {
  const { url, drop } = await createPgDatabase('beckon_noprep');
  const { db } = connectPostgres(url, 1, false);
  t.after(async () => {
    await db.destroy();
    await drop();
  });
  await sql`create table noprep (a int primary key)`.execute(db);
  for (let a = 1; a <= 4; a++) {
    await db.transaction().execute(async (trx) => {
      await sql`${sql.raw(PIPELINED)}insert into noprep (a) values (${a})`.execute(trx);
      await sql`select a from noprep where a = ${a}`.execute(trx);
    });
    await sql`select a from noprep where a = ${a}`.execute(db);
  }
  assert.deepEqual((await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows, [{ n: 0 }]);
  assert.deepEqual((await sql<{ s: string }>`select current_setting('plan_cache_mode') as s`.execute(db)).rows, [{ s: 'auto' }]);
});
