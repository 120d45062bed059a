import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import type { Db } from '../db/connect.ts';
import { newId } from '../lib/ids.ts';
import { campaignLinkIds } from './links.ts';
import { trackContent } from './track-content.ts';
import { trackingUrl, type TrackingToken } from './tokens.ts';
import { insertCampaign, workspaceOf } from './test-support.ts';

const BASE = 'https://beckon.example.com';

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: BASE }, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  const workspaceId = await workspaceOf(beckon);
  const campaignId = await insertCampaign(beckon, workspaceId);
  const url = (token: TrackingToken) => trackingUrl(BASE, deps.secrets, token);
  const links = async () => (await deps.db.selectFrom('campaign_links').select(['id', 'url', 'workspace_id']).where('campaign_id', '=', campaignId).orderBy('id').execute())
    .map((r) => [Number(r.id), r.url, r.workspace_id === workspaceId]);
  return { beckon, deps, workspaceId, campaignId, url, links };
}

test('email: text and <a href> links become click URLs (one id per distinct URL), mailto:, tel: and Liquid stay; unsubscribe and pixel before </body>', async (t) => {
  const { deps, workspaceId, campaignId, url, links } = await setup(t);
  const messageId = newId();
  const text = 'Hi! See https://shop.example/sale?x=1&y=2. Mail mailto:help@shop.example or tel:+3912345. Again (https://shop.example/sale?x=1&y=2) and https://other.example/{{contact.id}} end';
  const html = '<html><body><p><a href="https://shop.example/sale?x=1&amp;y=2">Sale</a> <a class="m" href=\'mailto:help@shop.example\'>Mail</a> '
    + '<a href="tel:+3912345">Call</a> <a href=https://blog.example/post>Blog</a> <A title="t" HREF="https://shop.example/sale?x=1&y=2">Again</A> <a name="top">x</a></p></BODY></html>';
  const out = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType: 'email', text, html, trackLinks: true, trackOpens: true });

  const sale = url({ kind: 'click', messageId, linkId: 1 });
  const blog = url({ kind: 'click', messageId, linkId: 2 });
  const unsubscribe = url({ kind: 'unsubscribe', messageId });
  const pixel = url({ kind: 'open', messageId });
  assert.equal(out.text, `Hi! See ${sale}. Mail mailto:help@shop.example or tel:+3912345. Again (${sale}) and https://other.example/{{contact.id}} end\n\nUnsubscribe: ${unsubscribe}`);
  assert.equal(out.html, `<html><body><p><a href="${sale}">Sale</a> <a class="m" href='mailto:help@shop.example'>Mail</a> `
    + `<a href="tel:+3912345">Call</a> <a href="${blog}">Blog</a> <A title="t" HREF="${sale}">Again</A> <a name="top">x</a></p>`
    + `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${unsubscribe}">Unsubscribe</a>.</p>`
    + `<img src="${pixel}" width="1" height="1" alt=""></BODY></html>`);
  assert.deepEqual(await links(), [[1, 'https://shop.example/sale?x=1&y=2', true], [2, 'https://blog.example/post', true]]);

  // the next recipient: the same ids (no new rows), a new URL gets the next id; its own tokens
  const next = newId();
  const again = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId: next, contactId: newId(), channelType: 'email', html: '<p><a href="https://blog.example/post">B</a><a href="https://new.example/">N</a></p>', trackLinks: true, trackOpens: true });
  assert.deepEqual(again, { html: `<p><a href="${url({ kind: 'click', messageId: next, linkId: 2 })}">B</a><a href="${url({ kind: 'click', messageId: next, linkId: 3 })}">N</a></p>`
    + `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${url({ kind: 'unsubscribe', messageId: next })}">Unsubscribe</a>.</p>`
    + `<img src="${url({ kind: 'open', messageId: next })}" width="1" height="1" alt="">` });
  assert.deepEqual((await links()).map((l) => l[0]), [1, 2, 3]);
});

test('email without tracking: links untouched, no pixel, but always the unsubscribe link; a tracked URL of Beckon itself is never wrapped again', async (t) => {
  const { deps, workspaceId, campaignId, url, links } = await setup(t);
  const messageId = newId();
  const own = `${BASE}/u/sometoken`;
  const out = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType: 'email', text: `Go https://shop.example/ or ${own}`, html: `<a href="https://shop.example/">x</a><a href="${own}">u</a>`, trackLinks: false, trackOpens: false });
  const unsubscribe = url({ kind: 'unsubscribe', messageId });
  assert.deepEqual(out, {
    text: `Go https://shop.example/ or ${own}\n\nUnsubscribe: ${unsubscribe}`,
    html: `<a href="https://shop.example/">x</a><a href="${own}">u</a><p style="font-size:12px;color:#666666">Don't want these emails? <a href="${unsubscribe}">Unsubscribe</a>.</p>`,
  });
  const withImages = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType: 'email',
    html: '<body><img src="https://cdn.example/logo.png" alt="Logo"><img src="https://esp.example/pixel.gif" width="1" height="1"></body>\n', trackLinks: true, trackOpens: true });
  assert.equal(withImages.html, '<body><img src="https://cdn.example/logo.png" alt="Logo"><img src="https://esp.example/pixel.gif" width="1" height="1">'
    + `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${unsubscribe}">Unsubscribe</a>.</p><img src="${url({ kind: 'open', messageId })}" width="1" height="1" alt=""></body>\n`,
  'images (an existing pixel too) are left as they are; ours goes last, before </body>');
  const tracked = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType: 'email', text: `Go ${own}`, trackLinks: true, trackOpens: true });
  assert.deepEqual(tracked, { text: `Go ${own}\n\nUnsubscribe: ${unsubscribe}` }, 'text only: no pixel, own URL kept');
  assert.deepEqual(await links(), []);
});

test('sms and whatsapp: links in the text are rewritten; no unsubscribe link, no pixel, html ignored', async (t) => {
  const { deps, workspaceId, campaignId, url } = await setup(t);
  const messageId = newId();
  for (const channelType of ['sms', 'whatsapp'] as const) {
    const out = await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType, text: 'Sale: https://shop.example/s!', trackLinks: true, trackOpens: true });
    assert.deepEqual(out, { text: `Sale: ${url({ kind: 'click', messageId, linkId: 1 })}!` });
  }
  assert.deepEqual(await trackContent(deps.db, deps, { workspaceId, campaignId, messageId, contactId: newId(), channelType: 'sms', text: 'no links', trackLinks: true, trackOpens: true }), { text: 'no links' });
});

test('link ids stay right across processes (each with its own cache) and after a rolled-back transaction', async (t) => {
  const { deps, workspaceId, campaignId, links } = await setup(t);
  const processB = {} as Db; // another process: the same store, a cold cache
  assert.deepEqual([...(await campaignLinkIds(deps.db, deps.db, workspaceId, campaignId, ['https://a.example/', 'https://b.example/']))], [['https://a.example/', 1], ['https://b.example/', 2]]);
  assert.deepEqual([...(await campaignLinkIds(deps.db, processB, workspaceId, campaignId, ['https://c.example/', 'https://a.example/']))], [['https://c.example/', 3], ['https://a.example/', 1]]);
  assert.deepEqual([...(await campaignLinkIds(deps.db, deps.db, workspaceId, campaignId, ['https://d.example/', 'https://b.example/']))], [['https://d.example/', 4], ['https://b.example/', 2]]);

  await assert.rejects(deps.db.transaction().execute(async (trx) => {
    assert.deepEqual([...(await campaignLinkIds(trx, deps.db, workspaceId, campaignId, ['https://e.example/']))], [['https://e.example/', 5]]);
    throw new Error('rolled back');
  }), /rolled back/);
  assert.deepEqual((await links()).map((l) => l[0]), [1, 2, 3, 4]);
  assert.deepEqual([...(await campaignLinkIds(deps.db, deps.db, workspaceId, campaignId, ['https://e.example/']))], [['https://e.example/', 5]]);
  assert.deepEqual(await links(), [
    [1, 'https://a.example/', true], [2, 'https://b.example/', true], [3, 'https://c.example/', true], [4, 'https://d.example/', true], [5, 'https://e.example/', true],
  ], 'the rolled-back link was inserted again');
});
