import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeSmtp } from '../../test/fakes/smtp.ts';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { trackContent } from './track-content.ts';
import { ago, campaignMessage, tokenPath } from './test-support.ts';

const BASE = 'https://beckon.example.com';

test('a campaign email goes out over SMTP with List-Unsubscribe + One-Click; POSTing that URL opts the contact out (contact_opted_out once)', async (t) => {
  const [beckon, fake] = await Promise.all([startBeckon({ BECKON_PUBLIC_URL: BASE }, { worker: false }), startFakeSmtp()]);
  t.after(async () => {
    await beckon.stop();
    await fake.close();
  });
  const channel = await beckon.call('POST', '/v1/channels', {
    body: { type: 'email', provider: 'smtp', title: 'News', config: { host: '127.0.0.1', port: fake.port, secure: false, from_email: 'news@shop.test' } },
  });
  assert.equal(channel.statusCode, 201, channel.body);
  const { deps } = beckon.runtime;

  const m = await campaignMessage(beckon, { from: 'email', to: 'ann@example.com', type: 'text', subject: 'Sale', content: { text: 'Sale: https://shop.example/' }, html: '<html><body><a href="https://shop.example/">Sale</a></body></html>' });
  const tracked = await trackContent(deps.db, deps, { workspaceId: m.workspaceId, campaignId: m.campaignId, messageId: m.messageId, contactId: m.contactId, channelType: 'email', text: 'Sale: https://shop.example/', html: '<html><body><a href="https://shop.example/">Sale</a></body></html>', trackLinks: true, trackOpens: true });
  await deps.db.updateTable('messages').set({ content: JSON.stringify({ text: tracked.text }), html: tracked.html! }).where('id', '=', m.messageId).execute();
  // a plain (non-campaign) email on the same channel carries no List-Unsubscribe
  const plain = await beckon.call('POST', '/v1/messages/send', { body: { from: 'email', to: 'bob@example.com', type: 'text', subject: 'Receipt', content: { text: 'Thanks' } } });
  assert.equal(plain.statusCode, 200, plain.body);

  beckon.runtime.worker.start();
  await waitFor('both emails to arrive', async () => fake.mails.length === 2);
  const unsubscribePath = tokenPath(beckon, { kind: 'unsubscribe', messageId: m.messageId });
  const mail = fake.mails.find((x) => x.rcptTo[0] === 'ann@example.com')!;
  assert.deepEqual(mail.headers.get('list-unsubscribe'), [`<${BASE}${unsubscribePath}>`]);
  assert.deepEqual(mail.headers.get('list-unsubscribe-post'), ['List-Unsubscribe=One-Click']);
  assert.deepEqual(mail.parts.map((p) => p.contentType.split(';')[0]), ['text/plain', 'text/html']);
  assert.equal(mail.parts[0].body.trim(), `Sale: ${BASE}${tokenPath(beckon, { kind: 'click', messageId: m.messageId, linkId: 1 })}\n\nUnsubscribe: ${BASE}${unsubscribePath}`);
  assert.ok(mail.parts[1].body.includes(`<a href="${BASE}${unsubscribePath}">Unsubscribe</a>`));
  const receipt = fake.mails.find((x) => x.rcptTo[0] === 'bob@example.com')!;
  assert.equal(receipt.headers.has('list-unsubscribe'), false);
  assert.equal(receipt.headers.has('list-unsubscribe-post'), false);

  // what a mailbox provider does on "unsubscribe": POST the List-Unsubscribe URL with the List-Unsubscribe-Post body
  const target = new URL(mail.headers.get('list-unsubscribe')![0].slice(1, -1));
  for (let i = 0; i < 2; i++) {
    const res = await beckon.runtime.app.inject({ method: 'POST', url: target.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: mail.headers.get('list-unsubscribe-post')![0] });
    assert.equal(res.statusCode, 200, res.body);
  }
  const consent = (await beckon.call('GET', `/v1/contacts/${m.contactId}`)).json().contact.consent.email;
  assert.deepEqual([consent.status, consent.source], ['opted_out', 'one_click_unsubscribe']);
  const events = (await beckon.call('GET', '/v1/events?type=contact_opted_out')).json().events;
  assert.deepEqual(events.map((e: { payload: { uuid: string; channel_type: string } }) => [e.payload.uuid, e.payload.channel_type]), [[m.contactId, 'email']]);
  assert.ok(Date.parse(consent.at) > Date.parse(ago(60_000)));
});
