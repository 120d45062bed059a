import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type RawBuilder } from 'kysely';
import { tempStore, TEST_STORE } from '../../test/helpers.ts';
import { escapeLike, jsonSql, likeEscape, storeKind } from './dialect.ts';

const at = '2026-01-01T00:00:00.000Z';

test('dialect: the JSON and LIKE helpers give the same answers on both stores', async (t) => {
  const db = await tempStore(t);
  assert.equal(storeKind(db), TEST_STORE);
  const j = jsonSql(db);
  await db.insertInto('workspaces').values({ id: 'w', name: 'w', created_at: at }).execute();
  const contact = (id: string, tags: unknown[], custom: Record<string, unknown>, consent: Record<string, unknown> = {}, name: string | null = null) => ({
    id, workspace_id: 'w', name, tags: JSON.stringify(tags), custom_fields: JSON.stringify(custom), consent: JSON.stringify(consent), blocked: 0, created_at: at, updated_at: at,
  });
  await db.insertInto('contacts').values([
    contact('a', ['vip', 'it"s'], { plan: 'gold', seats: 10, ratio: 2.5, paid: true, 'odd "key"': 'x', none: null }, { email: { status: 'opted_in' } }, '50%_off'),
    contact('b', [], { plan: 'silver', seats: 9, paid: false }, {}, '50 off'),
    contact('c', ['new'], {}, {}, null),
  ]).execute();
  const ids = async (condition: RawBuilder<boolean>) => (await db.selectFrom('contacts').select('id').where(condition).orderBy('id').execute()).map((r) => r.id);

  assert.deepEqual(await ids(j.arrayHas('contacts.tags', 'vip')), ['a']);
  assert.deepEqual(await ids(j.arrayHas('contacts.tags', 'it"s')), ['a']);
  assert.deepEqual(await ids(j.arrayHasAny('contacts.tags', ['new', 'vip'])), ['a', 'c']);
  assert.deepEqual(await ids(j.arrayNotEmpty('contacts.tags')), ['a', 'c']);
  // numbers compare as numbers (10 > 9), text as text
  assert.deepEqual(await ids(sql<boolean>`${j.valueAt('contacts.custom_fields', ['seats'], 'number')} > ${9}`), ['a']);
  assert.deepEqual(await ids(sql<boolean>`${j.valueAt('contacts.custom_fields', ['plan'], 'text')} = ${'gold'}`), ['a']);
  const types = await db.selectFrom('contacts').select([
    'id',
    j.typeAt('contacts.custom_fields', ['plan']).as('plan'), j.typeAt('contacts.custom_fields', ['seats']).as('seats'),
    j.typeAt('contacts.custom_fields', ['ratio']).as('ratio'), j.typeAt('contacts.custom_fields', ['paid']).as('paid'),
    j.typeAt('contacts.custom_fields', ['none']).as('none'), j.textAt('contacts.consent', ['email', 'status'], 'unknown').as('consent'),
  ]).orderBy('id').execute();
  assert.deepEqual(types.map((r) => ({ ...r })), [
    { id: 'a', plan: 'text', seats: 'integer', ratio: 'real', paid: 'true', none: 'null', consent: 'opted_in' },
    { id: 'b', plan: 'text', seats: 'integer', ratio: 'missing', paid: 'false', none: 'missing', consent: 'unknown' },
    { id: 'c', plan: 'missing', seats: 'missing', ratio: 'missing', paid: 'missing', none: 'missing', consent: 'unknown' },
  ]);
  assert.deepEqual(await ids(j.objectHasEntry('contacts.custom_fields', 'seats', { number: 10 })), ['a']);
  assert.deepEqual(await ids(j.objectHasEntry('contacts.custom_fields', 'plan', { text: 'silver' })), ['b']);
  assert.deepEqual(await ids(j.objectHasEntry('contacts.custom_fields', 'paid', { bool: false })), ['b']);
  assert.deepEqual(await ids(j.objectHasEntry('contacts.custom_fields', 'plan', {})), []);
  const keys = await sql<{ key: string }>`select distinct k.key as key from contacts, ${j.objectKeys('contacts.custom_fields', 'k')} order by k.key`.execute(db);
  assert.deepEqual(keys.rows.map((r) => r.key), ['none', 'odd "key"', 'paid', 'plan', 'ratio', 'seats']);
  // array elements (each may be an object): one row per element, its keys read as text (null when absent)
  await db.updateTable('contacts').set({ tags: JSON.stringify([{ status: 'sent', at: '2026-01-01T10:00' }, { status: 'read', 'odd key': 'y' }]) }).where('id', '=', 'c').execute();
  const elements = await sql<{ status: string; at: string | null; odd: string | null }>`select ${j.elementText('e.value', 'status')} as status,
    ${j.elementText('e.value', 'at')} as at, ${j.elementText('e.value', 'odd key')} as odd
    from contacts, ${j.arrayElements('contacts.tags', 'e')} where contacts.id = ${'c'} order by 1`.execute(db);
  assert.deepEqual(elements.rows.map((r) => ({ ...r })), [{ status: 'read', at: null, odd: 'y' }, { status: 'sent', at: '2026-01-01T10:00', odd: null }]);
  // LIKE: % and _ in the pattern are literal once escaped
  assert.deepEqual(await ids(sql<boolean>`contacts.name like ${`%${escapeLike('50%_')}%`} ${likeEscape()}`), ['a']);
  assert.deepEqual(await ids(sql<boolean>`contacts.name like ${'50%'} ${likeEscape()}`), ['a', 'b']);
  assert.deepEqual(await ids(sql<boolean>`(${j.true} and not ${j.false})`), ['a', 'b', 'c']);
});
