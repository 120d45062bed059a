import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, createCampaign, optedIn, recipients, sandboxChannel, staticSegment, step, waitForStatus } from '../../test/campaign-fixtures.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** A public request (no API key), as a mail client or browser makes it. */
function visit(beckon: TestBeckon, method: 'GET' | 'POST', url: string, body?: string) {
  const headers: Record<string, string> = { 'user-agent': BROWSER };
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return beckon.runtime.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body }) });
}

/** The path part of the first tracking URL of `kind` (c, o or u) in `text`. */
function trackingPath(text: string, kind: 'c' | 'u'): string {
  const match = new RegExp(`https://beckon\\.example\\.com(/${kind}/[A-Za-z0-9_-]+)`).exec(text);
  assert.ok(match, `no /${kind}/ link in ${text}`);
  return match[1];
}

test('campaign → tracked link clicked by the contact → stats count it per link; one-click unsubscribe → consent, stats and history', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://beckon.example.com' });
  t.after(() => beckon.stop());
  const email = await sandboxChannel(beckon, 'email');
  const ann = await contact(beckon, { name: 'Ann', email: 'ann@example.com', consent: optedIn('email') });
  const bob = await contact(beckon, { name: 'Bob', email: 'bob@example.com', consent: optedIn('email') });
  const list = await staticSegment(beckon, 'List', [ann, bob]);
  const campaign = await createCampaign(beckon, {
    name: 'Sale', channel_uuid: email, segment_uuids: [list], subject: 'Sale',
    content: { text: 'Hi {{ contact.name }}, see https://shop.example/sale', html: '<p><a href="https://shop.example/sale">Sale</a></p>' },
  });
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const [annRow] = (await recipients(beckon, campaign.uuid)).filter((r) => r.contact_id === ann);
  const message = (await beckon.call('GET', `/v1/messages/${annRow.message_id}`)).json().message;
  assert.equal(message.content.text.startsWith('Hi Ann, see https://beckon.example.com/c/'), true, message.content.text);
  assert.equal(message.html.includes('https://shop.example'), false, 'the html link is rewritten too');

  const click = await visit(beckon, 'GET', trackingPath(message.content.text, 'c'));
  assert.equal(click.statusCode, 302, click.body);
  assert.equal(click.headers.location, 'https://shop.example/sale');
  const again = await visit(beckon, 'GET', trackingPath(message.html, 'c'));
  assert.equal(again.headers.location, 'https://shop.example/sale', 'text and html share the link id');
  assert.equal(trackingPath(message.html, 'c'), trackingPath(message.content.text, 'c'), 'one token: the same link id');

  const unsubscribe = await visit(beckon, 'POST', trackingPath(message.content.text, 'u'), 'List-Unsubscribe=One-Click');
  assert.equal(unsubscribe.statusCode, 200, unsubscribe.body);
  const annNow = (await beckon.call('GET', `/v1/contacts/${ann}`)).json().contact;
  assert.equal(annNow.consent.email.status, 'opted_out');

  const sent = await waitFor('both messages final', async () => {
    const s = (await beckon.call('GET', `/v1/campaigns/${campaign.uuid}/stats`)).json();
    return s.sent === 2 ? s : undefined;
  });
  assert.equal(sent.recipients, 2);
  assert.deepEqual(sent.clicks, { unique: 1, total: 2, by_link: [{ url: 'https://shop.example/sale', unique: 1, total: 2 }] });
  assert.equal(sent.unsubscribes, 1);

  const history = (await beckon.call('GET', `/v1/contacts/${ann}/history?order=asc`)).json();
  const types = history.history.map((i: { type: string }) => i.type);
  assert.deepEqual(types.filter((type: string) => ['message', 'click', 'unsubscribe'].includes(type)), ['message', 'click', 'click', 'unsubscribe']);
  const optOuts = history.history.filter((i: { type: string; status?: string }) => i.type === 'consent' && i.status === 'opted_out');
  assert.deepEqual(optOuts.map((i: { channel_type: string; source: string }) => [i.channel_type, i.source]), [['email', 'one_click_unsubscribe']]);
});
