import type { EngagementType } from '../../db/enums.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../../test/helpers.ts';
import { trackContent } from '../../tracking/track-content.ts';
import { ago, campaignMessage, sandboxChannel, tokenPath } from '../../tracking/test-support.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function visit(beckon: TestBeckon, method: 'GET' | 'POST', url: string) {
  return beckon.runtime.app.inject({ method, url, headers: { 'user-agent': BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, ...(method === 'POST' ? { payload: 'List-Unsubscribe=One-Click' } : {}) });
}

async function history(beckon: TestBeckon, contactId: string, query = '', key?: string) {
  const res = await beckon.call('GET', `/v1/contacts/${contactId}/history${query}`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { history: Record<string, unknown>[]; meta: { next_cursor: string | null } };
}

test('GET /v1/contacts/:uuid/history: messages both ways, opens, clicks, unsubscribes and consent changes in time order; pages; workspaces apart', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://beckon.example.com' }, { worker: false });
  t.after(() => beckon.stop());
  const emailChannel = await sandboxChannel(beckon, 'email');
  const created = await beckon.call('POST', '/v1/contacts', { body: { name: 'Ann', phone: '+39 333 123 4567', email: 'ann@example.com', consent: { email: { status: 'opted_in', source: 'web_form' } } } });
  assert.equal(created.statusCode, 201, created.body);
  const ann = created.json().contact.uuid;

  const m = await campaignMessage(beckon, { from: 'email', to: 'ann@example.com', type: 'text', subject: 'Sale', content: { text: 'https://shop.example/' } }, { sentAt: ago(60_000) });
  assert.equal(m.contactId, ann);
  const { deps } = beckon.runtime;
  await trackContent(deps.db, deps, { workspaceId: m.workspaceId, campaignId: m.campaignId, messageId: m.messageId, contactId: ann, channelType: 'email', text: 'https://shop.example/', trackLinks: true, trackOpens: true });
  await visit(beckon, 'GET', tokenPath(beckon, { kind: 'open', messageId: m.messageId }));
  await visit(beckon, 'GET', tokenPath(beckon, { kind: 'click', messageId: m.messageId, linkId: 1 }));
  const inbound = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+393331234567', text: 'Is the sale still on?' } });
  assert.equal(inbound.statusCode, 200, inbound.body);
  assert.equal(inbound.json().message.contact.uuid, ann);
  await visit(beckon, 'POST', tokenPath(beckon, { kind: 'unsubscribe', messageId: m.messageId }));
  const bob = await campaignMessage(beckon, { from: 'email', to: 'bob@example.com', type: 'text', subject: 'Sale', content: { text: 'hi' } });

  const all = (await history(beckon, ann, '?order=asc&limit=100')).history;
  const engagement = (type: EngagementType) => deps.db.selectFrom('engagements').select('id').where('type', '=', type).executeTakeFirstOrThrow().then((r) => r.id);
  const [open, click, unsubscribe] = [await engagement('open'), await engagement('click'), await engagement('unsubscribe')];
  const strip = (items: Record<string, unknown>[]) => items.map(({ at, ...rest }) => { assert.match(at as string, /^\d{4}-\d\d-\d\dT/); return rest; });
  const consentUuids = all.filter((i) => i.type === 'consent').map((i) => i.uuid);
  assert.deepEqual(strip(all), [
    { type: 'consent', uuid: consentUuids[0], channel_type: 'email', status: 'opted_in', source: 'web_form' },
    { type: 'message', uuid: m.messageId, direction: 'outbound', channel: 'email', channel_uuid: emailChannel, message_type: 'text', status: 'sent', campaign_uuid: m.campaignId, content: { text: 'https://shop.example/' }, subject: 'Sale' },
    { type: 'open', uuid: open, message_uuid: m.messageId, campaign_uuid: m.campaignId, machine: false },
    { type: 'click', uuid: click, message_uuid: m.messageId, campaign_uuid: m.campaignId, link_id: 1, url: 'https://shop.example/', machine: false },
    { type: 'message', uuid: inbound.json().message.uuid, direction: 'inbound', channel: 'whatsapp', channel_uuid: inbound.json().message.channel_uuid, message_type: 'text', status: 'received', campaign_uuid: null, content: { text: 'Is the sale still on?' } },
    { type: 'consent', uuid: consentUuids[1], channel_type: 'email', status: 'opted_out', source: 'one_click_unsubscribe' },
    { type: 'unsubscribe', uuid: unsubscribe, message_uuid: m.messageId, campaign_uuid: m.campaignId },
  ]);
  const ats = all.map((i) => i.at as string);
  assert.deepEqual([...ats].sort(), ats, 'oldest first');

  // newest first (the default), 3 per page: the same items reversed, and no page repeats or skips one
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await history(beckon, ann, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(page.history.map((i) => i.uuid as string));
    cursor = page.meta.next_cursor;
  } while (cursor);
  assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
  assert.deepEqual(pages.flat(), all.map((i) => i.uuid).reverse());
  const ascPage = await history(beckon, ann, '?order=asc&limit=2');
  const ascNext = await history(beckon, ann, `?order=asc&limit=2&cursor=${ascPage.meta.next_cursor}`);
  assert.deepEqual([...ascPage.history, ...ascNext.history].map((i) => i.uuid), all.slice(0, 4).map((i) => i.uuid));

  assert.deepEqual((await history(beckon, bob.contactId)).history.map((i) => i.type), ['message'], 'only Bob\'s own message');
  const bad = await beckon.call('GET', `/v1/contacts/${ann}/history?cursor=nope`);
  assert.deepEqual([bad.statusCode, bad.json().errors[0].path], [400, 'query.cursor']);
  assert.equal((await beckon.call('GET', `/v1/contacts/${ann}/history?order=sideways`)).statusCode, 400);

  const key2 = await beckon.newWorkspace('Other');
  const other = await beckon.call('GET', `/v1/contacts/${ann}/history`, { key: key2 });
  assert.deepEqual([other.statusCode, other.json().code], [404, 'not_found']);
  assert.equal((await beckon.call('GET', '/v1/contacts/01970000-0000-7000-8000-000000000000/history')).statusCode, 404);
  const theirs = await beckon.call('POST', '/v1/contacts', { key: key2, body: { email: 'ann@example.com' } });
  assert.deepEqual((await history(beckon, theirs.json().contact.uuid, '', key2)).history, [], 'the other workspace\'s Ann has no history');
});
