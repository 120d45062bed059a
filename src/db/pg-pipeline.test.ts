import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AFTER_COMMIT, inlineParameters, pipelinedQuery, PIPELINED } from './pg-pipeline.ts';

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
