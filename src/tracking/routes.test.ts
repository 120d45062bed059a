import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { trackContent } from './track-content.ts';
import { PIXEL_GIF } from './pages.ts';
import { isOneClick } from './routes.ts';
import { ago, campaignMessage, sandboxChannel, tokenPath, type CampaignMessage } from './test-support.ts';

const BASE = 'https://beckon.example.com';
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const EMAIL = { from: 'email', type: 'text', subject: 'Sale', content: { text: 'Our sale' } };

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: BASE }, { worker: false });
  t.after(() => beckon.stop());
  await sandboxChannel(beckon, 'email');
  return beckon;
}

/** Public request: no API key. */
function visit(beckon: TestBeckon, method: 'GET' | 'POST' | 'HEAD', path: string, options: { ua?: string; body?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.ua !== undefined) headers['user-agent'] = options.ua;
  if (options.type) headers['content-type'] = options.type;
  return beckon.runtime.app.inject({ method, url: path, headers, ...(options.body !== undefined ? { payload: options.body } : {}) });
}

async function engagements(beckon: TestBeckon, messageId: string) {
  return (await beckon.runtime.deps.db.selectFrom('engagements').selectAll().where('message_id', '=', messageId).orderBy('created_at').orderBy('id').execute())
    .map((e) => ({ type: e.type, workspace: e.workspace_id, contact: e.contact_id, campaign: e.campaign_id, link: e.link_id === null ? null : Number(e.link_id), url: e.url, machine: Number(e.machine), ua: e.user_agent }));
}

async function events(beckon: TestBeckon, type: string, key?: string) {
  const res = await beckon.call('GET', `/v1/events?type=${type}&limit=100`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().events.map((e: { payload: unknown }) => e.payload);
}

async function withLink(beckon: TestBeckon, m: CampaignMessage, url: string): Promise<void> {
  const { deps } = beckon.runtime;
  await trackContent(deps.db, deps, { workspaceId: m.workspaceId, campaignId: m.campaignId, messageId: m.messageId, contactId: m.contactId, channelType: 'email', text: url, trackLinks: true, trackOpens: false });
}

test('GET /c/:token: 302 to the link, a click engagement and link_clicked with its exact payload; HEAD records nothing', async (t) => {
  const beckon = await setup(t);
  const m = await campaignMessage(beckon, { ...EMAIL, to: 'ann@example.com' }, { sentAt: ago(60_000) });
  await withLink(beckon, m, 'https://shop.example/sale?a=1&b=%20x');
  const path = tokenPath(beckon, { kind: 'click', messageId: m.messageId, linkId: 1 });

  const head = await visit(beckon, 'HEAD', path, { ua: 'Barracuda Sentinel' });
  assert.equal(head.statusCode, 302);
  assert.deepEqual(await engagements(beckon, m.messageId), []);

  const res = await visit(beckon, 'GET', path, { ua: BROWSER });
  assert.equal(res.statusCode, 302, res.body);
  assert.equal(res.headers.location, 'https://shop.example/sale?a=1&b=%20x');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.equal(res.headers['cache-control'], 'no-store');
  const scanner = await visit(beckon, 'GET', path, { ua: 'Mozilla/5.0 (compatible; proofpoint url defense)' });
  assert.equal(scanner.statusCode, 302);

  const base = { workspace: m.workspaceId, contact: m.contactId, campaign: m.campaignId, link: 1, url: 'https://shop.example/sale?a=1&b=%20x' };
  assert.deepEqual(await engagements(beckon, m.messageId), [
    { type: 'click', ...base, machine: 0, ua: BROWSER },
    { type: 'click', ...base, machine: 1, ua: 'Mozilla/5.0 (compatible; proofpoint url defense)' },
  ]);
  const payload = { message_uuid: m.messageId, contact_uuid: m.contactId, campaign_uuid: m.campaignId, link_id: 1, url: 'https://shop.example/sale?a=1&b=%20x' };
  assert.deepEqual(await events(beckon, 'link_clicked'), [{ ...payload, machine: true }, { ...payload, machine: false }], 'newest first');
});

test('a tampered, foreign-kind or unknown-link click token is a 404 problem with no redirect and nothing recorded', async (t) => {
  const beckon = await setup(t);
  const m = await campaignMessage(beckon, { ...EMAIL, to: 'ann@example.com' }, { sentAt: ago(60_000) });
  await withLink(beckon, m, 'https://shop.example/');
  const good = tokenPath(beckon, { kind: 'click', messageId: m.messageId, linkId: 1 });
  const token = good.slice(3);
  const flipped = Buffer.from(token, 'base64url');
  flipped[5] ^= 0x40;
  for (const path of [
    `/c/${flipped.toString('base64url')}`,
    `/c/${token.slice(0, -2)}`,
    `/c/${tokenPath(beckon, { kind: 'open', messageId: m.messageId }).slice(3)}`,
    tokenPath(beckon, { kind: 'click', messageId: m.messageId, linkId: 2 }),
    '/c/https%3A%2F%2Fevil.example',
  ]) {
    const res = await visit(beckon, 'GET', path, { ua: BROWSER });
    assert.equal(res.statusCode, 404, path);
    assert.equal(res.headers.location, undefined);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual([res.json().code, res.json().detail], ['not_found', 'this link is not valid']);
  }
  assert.deepEqual(await engagements(beckon, m.messageId), []);
  assert.equal((await visit(beckon, 'GET', good, { ua: BROWSER })).statusCode, 302, 'the genuine token still works');
});

test('GET /o/:token: a 1×1 GIF, never cached; every open stored, machines flagged, message_opened once on the first human open', async (t) => {
  const beckon = await setup(t);
  const m = await campaignMessage(beckon, { ...EMAIL, to: 'ann@example.com' }, { sentAt: ago(60_000) });
  const path = tokenPath(beckon, { kind: 'open', messageId: m.messageId });

  const proxy = await visit(beckon, 'GET', path, { ua: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' });
  assert.equal(proxy.statusCode, 200);
  assert.equal(proxy.headers['content-type'], 'image/gif');
  assert.equal(proxy.headers['cache-control'], 'no-store');
  assert.equal(proxy.headers['content-length'], '42');
  assert.deepEqual(proxy.rawPayload, PIXEL_GIF);
  assert.deepEqual([...PIXEL_GIF.subarray(0, 10)], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0], 'GIF89a, 1×1');
  await visit(beckon, 'GET', path, { ua: 'Mozilla/5.0' }); // Apple Mail Privacy Protection
  await visit(beckon, 'GET', path, { ua: BROWSER });
  await visit(beckon, 'GET', path, { ua: BROWSER });
  await visit(beckon, 'HEAD', path, { ua: BROWSER });

  const base = { type: 'open', workspace: m.workspaceId, contact: m.contactId, campaign: m.campaignId, link: null, url: null };
  assert.deepEqual((await engagements(beckon, m.messageId)).map((e) => [e.machine, e.ua]), [
    [1, 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)'], [1, 'Mozilla/5.0'], [0, BROWSER], [0, BROWSER],
  ]);
  assert.deepEqual((await engagements(beckon, m.messageId)).map(({ machine: _m, ua: _u, ...rest }) => rest), [base, base, base, base]);
  assert.deepEqual(await events(beckon, 'message_opened'), [{ message_uuid: m.messageId, contact_uuid: m.contactId, campaign_uuid: m.campaignId, machine: false }]);

  // opened within seconds of being sent: a scanner on the way in
  const fresh = await campaignMessage(beckon, { ...EMAIL, to: 'bob@example.com' }, { sentAt: ago(500) });
  await visit(beckon, 'GET', tokenPath(beckon, { kind: 'open', messageId: fresh.messageId }), { ua: BROWSER });
  assert.deepEqual((await engagements(beckon, fresh.messageId)).map((e) => e.machine), [1]);
  assert.equal((await events(beckon, 'message_opened')).length, 1);

  // a forged token gets the same pixel, and nothing is stored
  const forged = await visit(beckon, 'GET', `/o/${'A'.repeat(39)}`, { ua: BROWSER });
  assert.deepEqual([forged.statusCode, forged.headers['content-type'], forged.rawPayload], [200, 'image/gif', PIXEL_GIF]);
  assert.equal((await beckon.runtime.deps.db.selectFrom('engagements').select('id').execute()).length, 5);
});

test('unsubscribe: GET shows a form (changes nothing), one-click POST opts the contact out of email once; idempotent; bad token 404', async (t) => {
  const beckon = await setup(t);
  const m = await campaignMessage(beckon, { ...EMAIL, to: 'ann@example.com' }, { sentAt: ago(60_000) });
  const path = tokenPath(beckon, { kind: 'unsubscribe', messageId: m.messageId });
  const consent = async () => (await beckon.call('GET', `/v1/contacts/${m.contactId}`)).json().contact.consent.email;

  const page = await visit(beckon, 'GET', path, { ua: BROWSER });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(page.body, /<form method="post" action=""><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe<\/button><\/form>/);
  assert.equal((await consent()).status, 'unknown');

  const res = await visit(beckon, 'POST', path, { body: 'List-Unsubscribe=One-Click', type: 'application/x-www-form-urlencoded', ua: 'Gmail one-click' });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.body, /You are unsubscribed/);
  const after = await consent();
  assert.deepEqual([after.status, after.source], ['opted_out', 'one_click_unsubscribe']);
  assert.equal((await visit(beckon, 'POST', path, { body: 'confirm=yes', type: 'application/x-www-form-urlencoded' })).statusCode, 200, 'again: still 200');
  assert.deepEqual(await consent(), after, 'the first source and time stay');

  const optedOut = await events(beckon, 'contact_opted_out');
  assert.equal(optedOut.length, 1);
  assert.deepEqual([optedOut[0].uuid, optedOut[0].channel_type, optedOut[0].consent.email.status], [m.contactId, 'email', 'opted_out']);
  assert.deepEqual((await engagements(beckon, m.messageId)).map((e) => [e.type, e.campaign, e.ua]), [['unsubscribe', m.campaignId, 'Gmail one-click']]);

  const bad = await visit(beckon, 'POST', `${path.slice(0, -3)}AAA`, { body: 'List-Unsubscribe=One-Click', type: 'application/x-www-form-urlencoded' });
  assert.equal(bad.statusCode, 404);
  assert.equal((await visit(beckon, 'GET', tokenPath(beckon, { kind: 'open', messageId: m.messageId }).replace('/o/', '/u/'))).statusCode, 404, 'an open token does not unsubscribe');

  // the form of the page (multipart or urlencoded) works the same way
  const other = await campaignMessage(beckon, { ...EMAIL, to: 'bob@example.com' }, { sentAt: ago(60_000) });
  const form = await visit(beckon, 'POST', tokenPath(beckon, { kind: 'unsubscribe', messageId: other.messageId }), { body: 'confirm=yes', type: 'application/x-www-form-urlencoded' });
  assert.equal(form.statusCode, 200);
  const bob = (await beckon.call('GET', `/v1/contacts/${other.contactId}`)).json().contact.consent.email;
  assert.deepEqual([bob.status, bob.source], ['opted_out', 'unsubscribe_link']);
});

test('tracking lands in the message\'s own workspace; another workspace sees none of it', async (t) => {
  const beckon = await setup(t);
  const key2 = await beckon.newWorkspace('Other');
  await sandboxChannel(beckon, 'email', key2);
  const m2 = await campaignMessage(beckon, { ...EMAIL, to: 'zed@example.com' }, { key: key2, sentAt: ago(60_000) });
  await withLink(beckon, m2, 'https://two.example/');
  assert.equal((await visit(beckon, 'GET', tokenPath(beckon, { kind: 'click', messageId: m2.messageId, linkId: 1 }), { ua: BROWSER })).statusCode, 302);
  await visit(beckon, 'GET', tokenPath(beckon, { kind: 'open', messageId: m2.messageId }), { ua: BROWSER });
  await visit(beckon, 'POST', tokenPath(beckon, { kind: 'unsubscribe', messageId: m2.messageId }), { body: 'List-Unsubscribe=One-Click', type: 'application/x-www-form-urlencoded' });

  assert.deepEqual((await engagements(beckon, m2.messageId)).map((e) => [e.type, e.workspace]), [['click', m2.workspaceId], ['open', m2.workspaceId], ['unsubscribe', m2.workspaceId]]);
  for (const type of ['link_clicked', 'message_opened', 'contact_opted_out']) {
    assert.equal((await events(beckon, type, key2)).length, 1, type);
    assert.deepEqual(await events(beckon, type), [], `${type} is not in the default workspace`);
  }
});

test('one-click bodies: form-encoded or multipart List-Unsubscribe=One-Click; anything else is the page\'s form', () => {
  assert.equal(isOneClick('List-Unsubscribe=One-Click'), true);
  assert.equal(isOneClick('a=b&List-Unsubscribe=One-Click'), true);
  assert.equal(isOneClick('--xyz\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--xyz--\r\n'), true);
  assert.equal(isOneClick('confirm=yes'), false);
  assert.equal(isOneClick(''), false);
  assert.equal(isOneClick('List-Unsubscribe=Yes'), false);
});
