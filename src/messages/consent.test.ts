import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { setConsent } from '../contacts/consent.ts';
import { createHook, workspaceOf } from '../webhooks/test-support.ts';

const PHONE = '+393331234567';
const TEXT = { to: PHONE, from: 'whatsapp', type: 'text', content: { text: 'Hi!' } };

function assertProblem(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().code, code);
  return res.json();
}

async function events(beckon: TestBeckon, type: string) {
  const rows = await beckon.runtime.deps.db.selectFrom('events').select(['payload', 'workspace_id']).where('type', '=', type).orderBy('created_at').orderBy('id').execute();
  return rows.map((e) => ({ workspace_id: e.workspace_id, payload: JSON.parse(e.payload) }));
}

async function smsChannel(beckon: TestBeckon, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { key, body: { type: 'sms', provider: 'sandbox', title: 'SMS' } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

test('opt-out: a contact opted out of a channel type is refused there (even with optin_contact), not on the others', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await smsChannel(beckon);
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: PHONE, consent: { sms: { status: 'opted_out', source: 'sms_keyword' } } } });
  const contact = created.json().contact;

  for (const optin of [undefined, true]) {
    const refused = assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, from: 'sms', optin_contact: optin } }), 422, 'contact_opted_out');
    assert.equal(refused.detail, `the contact ${PHONE} opted out of sms messages (sms_keyword, ${contact.consent.sms.at}); do not message them on sms until they opt in again `
      + `(an SMS contact replies START; or record their new consent with PATCH /v1/contacts/${contact.uuid} and consent.sms.status "opted_in")`);
    assert.equal(refused.contact_uuid, contact.uuid);
  }
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').execute()).length, 0);
  assert.equal((await beckon.call('GET', `/v1/contacts/${contact.uuid}`)).json().contact.consent.sms.status, 'opted_out', 'optin_contact does not override an opt-out');
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: TEXT })).statusCode, 200, 'WhatsApp consent is separate');

  await beckon.call('PATCH', `/v1/contacts/${contact.uuid}`, { body: { consent: { sms: { status: 'opted_in', source: 'double_opt_in' } } } });
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, from: 'sms' } })).statusCode, 200);
});

test('opt-in: optin_contact records the opt-in once (source api, time of the send) with contact_opted_in', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const first = await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, optin_contact: true } });
  assert.equal(first.statusCode, 200, first.body);
  const message = first.json().message;
  const contact = (await beckon.call('GET', `/v1/contacts/${message.contact.uuid}`)).json().contact;
  assert.deepEqual(contact.consent, {
    whatsapp: { status: 'opted_in', at: message.created_at, source: 'api' },
    sms: { status: 'unknown', at: null, source: null },
    email: { status: 'unknown', at: null, source: null },
  });
  const optedIn = await events(beckon, 'contact_opted_in');
  assert.equal(optedIn.length, 1);
  assert.deepEqual(optedIn[0].payload, { ...contact, channel_type: 'whatsapp' });
  const updated = await events(beckon, 'contact_updated');
  assert.deepEqual(updated.map((e) => e.payload.changed_fields), [['consent']]);

  const again = await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, optin_contact: true } });
  assert.equal(again.statusCode, 200);
  assert.equal((await events(beckon, 'contact_opted_in')).length, 1, 'an opt-in already recorded is not recorded again');
  assert.deepEqual((await beckon.call('GET', `/v1/contacts/${message.contact.uuid}`)).json().contact.consent.whatsapp, contact.consent.whatsapp);
});

test('consent events: PATCH and setConsent emit contact_opted_in / contact_opted_out per channel type that changes, once', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: PHONE, email: 'ann@example.com', consent: { email: { status: 'opted_in' } } } });
  const id = created.json().contact.uuid;
  assert.deepEqual((await events(beckon, 'contact_opted_in')).map((e) => e.payload.channel_type), ['email'], 'created with an opt-in');

  await beckon.call('PATCH', `/v1/contacts/${id}`, { body: { consent: { email: { status: 'opted_out', source: 'unsubscribe_link' }, sms: { status: 'opted_out' } } } });
  const out = await events(beckon, 'contact_opted_out');
  assert.deepEqual(out.map((e) => e.payload.channel_type), ['sms', 'email'], 'in the order whatsapp, sms, email');
  assert.equal(out[1].payload.consent.email.source, 'unsubscribe_link');
  await beckon.call('PATCH', `/v1/contacts/${id}`, { body: { consent: { sms: { status: 'opted_out', source: 'form' } } } });
  assert.equal((await events(beckon, 'contact_opted_out')).length, 2, 'a new source for the same status is no new opt-out');

  const { deps } = beckon.runtime;
  const workspaceId = await workspaceOf(beckon);
  const results = await deps.db.transaction().execute(async (trx) => [
    await setConsent(trx, deps, workspaceId, id, 'sms', 'opted_in', 'sms_keyword', '2025-06-01T10:00:00.000Z'),
    await setConsent(trx, deps, workspaceId, id, 'sms', 'opted_in', 'api'),
  ]);
  assert.deepEqual(results.map((r) => r.changed), [true, false]);
  const contact = (await beckon.call('GET', `/v1/contacts/${id}`)).json().contact;
  assert.deepEqual(contact.consent.sms, { status: 'opted_in', at: '2025-06-01T10:00:00.000Z', source: 'sms_keyword' });
  assert.deepEqual((await events(beckon, 'contact_opted_in')).map((e) => e.payload.channel_type), ['email', 'sms']);
  const other = await beckon.newWorkspace('other');
  const otherId = await workspaceOf(beckon, other);
  await assert.rejects(deps.db.transaction().execute((trx) => setConsent(trx, deps, otherId, id, 'sms', 'opted_out', 'api')), /contact not found/);
});

test('consent events reach a webhook endpoint subscribed to contact_opted_in and contact_opted_out, signed', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_opted_in', 'contact_opted_out'] });
  const sent = await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, optin_contact: true } });
  const id = sent.json().message.contact.uuid;
  await beckon.call('PATCH', `/v1/contacts/${id}`, { body: { consent: { whatsapp: { status: 'opted_out' } } } });
  await receiver.waitForRequests(2);
  const bodies = receiver.requests.map((r) => new Webhook(hook.secret).verify(r.body, r.headers) as { event: string; payload: Record<string, unknown> });
  assert.deepEqual(bodies.map((b) => [b.event, b.payload.uuid, b.payload.channel_type]).sort(), [
    ['contact_opted_in', id, 'whatsapp'],
    ['contact_opted_out', id, 'whatsapp'],
  ]);
});
