import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

test('simultaneous first sends to one new number all succeed and create its contact once (both stores)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const body = { to: '+39 333 765 4321', from: 'whatsapp', type: 'text', content: { text: 'Hello' } };
  const answers = await Promise.all(Array.from({ length: 16 }, () => beckon.call('POST', '/v1/messages/send', { body })));
  assert.deepEqual(answers.map((a) => a.statusCode), Array(16).fill(200), answers.map((a) => a.body).join('\n'));
  const contacts = (await beckon.call('GET', '/v1/contacts?limit=100')).json().contacts;
  assert.deepEqual(contacts.map((c: { phone: string }) => c.phone), ['+393337654321']);
  const contactUuids = new Set(answers.map((a) => a.json().message.contact.uuid));
  assert.deepEqual([...contactUuids], [contacts[0].uuid]);
});
