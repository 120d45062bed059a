import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

test('isolation: a key never sees or changes another workspace\'s messages, on every message and sandbox endpoint', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const body = { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'mine' } };
  const mine = (await beckon.call('POST', '/v1/messages/send', { body })).json().message;
  const theirs = (await beckon.call('POST', '/v1/messages/send', { body: { ...body, content: { text: 'theirs' } }, key: otherKey })).json().message;
  assert.notEqual(mine.contact.uuid, theirs.contact.uuid, 'the same phone is a different contact in each workspace');
  const myChannel = mine.channel_uuid;
  assert.notEqual(myChannel, theirs.channel_uuid, 'each workspace sends on its own default channel');

  for (const url of [`/v1/messages/${mine.uuid}`, `/v1/messages/status/${mine.uuid}`]) {
    const res = await beckon.call('GET', url, { key: otherKey });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().code, 'not_found');
  }
  const theirList = (await beckon.call('GET', '/v1/messages', { key: otherKey })).json().messages;
  assert.deepEqual(theirList.map((m: { uuid: string }) => m.uuid), [theirs.uuid]);
  for (const filter of [`contact_uuid=${mine.contact.uuid}`, `channel_uuid=${myChannel}`]) {
    assert.deepEqual((await beckon.call('GET', `/v1/messages?${filter}`, { key: otherKey })).json().messages, [], filter);
  }

  const cross = await beckon.call('POST', '/v1/messages/send', { body: { ...body, channel_uuid: myChannel }, key: otherKey });
  assert.equal(cross.statusCode, 404);
  assert.equal(cross.json().errors[0].path, 'body.channel_uuid');
  const inbound = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+393331234567', text: 'hi', channel_uuid: myChannel }, key: otherKey });
  assert.equal(inbound.statusCode, 404);

  assert.equal((await beckon.call('DELETE', `/v1/messages/${mine.uuid}`, { key: otherKey })).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/messages/${mine.uuid}`)).statusCode, 200, 'still there for its owner');
  assert.deepEqual((await beckon.call('GET', '/v1/messages')).json().messages.map((m: { uuid: string }) => m.uuid), [mine.uuid]);
});
