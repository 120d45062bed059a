import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBeckon } from '../../test/helpers.ts';

// Issue 16, item 7: POST /v1/channels sometimes answered 500 just after a restart. Requests held back while Beckon
// was down arrive together when it is back; on PostgreSQL (read committed) two channel creates of one type could both
// see no default channel (or both clear the old default) and both insert one, and the second commit broke the unique
// index channels_one_default: a 500. SQLite runs write transactions one at a time, so it never raced there.

const smtp = (main: boolean) => ({ type: 'email', provider: 'smtp', title: 'Mail', main, config: { host: '93.184.215.14', from_email: 'a@example.com' } });

test('concurrent channel creates and main: true updates never answer 500, and each type keeps exactly one default', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  for (let round = 0; round < 6; round++) {
    const key = await beckon.newWorkspace(`race-${round}`);
    // a workspace without an email channel: every create may think it is the first (the default)
    const created = await Promise.all([0, 1, 2, 3].map((i) => beckon.call('POST', '/v1/channels', { key, body: smtp(i % 2 === 0) })));
    assert.deepEqual(created.map((r) => r.statusCode), [201, 201, 201, 201], created.map((r) => r.body).join('\n'));
    const uuids = created.map((r) => r.json().channel.uuid);
    const promoted = await Promise.all(uuids.map((uuid) => beckon.call('PATCH', `/v1/channels/${uuid}`, { key, body: { main: true } })));
    assert.deepEqual(promoted.map((r) => r.statusCode), [200, 200, 200, 200], promoted.map((r) => r.body).join('\n'));
    const listed = (await beckon.call('GET', '/v1/channels?type=email', { key })).json().channels as { main: boolean }[];
    assert.equal(listed.length, 4);
    assert.equal(listed.filter((c) => c.main).length, 1, 'one default email channel');
  }
});
