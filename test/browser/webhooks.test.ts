// The Webhooks page and Settings › Channels, Templates and API keys in a real browser (Debian's chromium via
// playwright-core) against the real server: an endpoint to a real loopback receiver, a test event and its attempt in
// the log, a rotated secret shown once (and the next delivery verifies with it), an API key shown once that works until
// revoked, a channel's callback URLs, a template with its variables; an agent sees none of the admin actions. No console
// error, no serious axe-core violation, screenshots at 1280 and 375 px. The pages do not depend on the store: SQLite pass only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { startBeckon, TEST_STORE } from '../helpers.ts';
import { assertAccessible, NO_BROWSER, openApp, shot, watchErrors } from './support.ts';

const skip = NO_BROWSER || (TEST_STORE === 'postgres' ? 'store-independent pages: the browser tests run in the SQLite pass' : false);
const ADMIN = { email: 'ana@example.com', password: 'correct horse battery' };
const AGENT = { email: 'bo@example.com', password: 'staple battery horse' };

/** A loopback HTTP receiver that records each request and answers 200 with a short body. */
async function receiver(t: { after(fn: () => unknown): void }) {
  const requests: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks: received');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/beckon`, requests };
}

/** Whether the page scrolls sideways (it must not at 375 px). */
const scrollsSideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

/** The value of the secret box shown once. */
const shownSecret = (page: Page) => page.locator('.shown-once input').inputValue();

test('webhooks and settings in chromium: endpoint, test delivery and attempt, rotate (shown once), API key once, channel callback URLs, templates, agent view, 375 px', { skip, timeout: 120_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BECKON_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  t.after(() => beckon.stop());
  const hook = await receiver(t);
  const { page, base, errors, browser } = await openApp(t, beckon, ADMIN, { path: '/webhooks' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });

  // the list, empty; a refused URL is said next to the URL field
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByText('No webhook endpoint yet.').waitFor();
  await page.getByRole('link', { name: 'New endpoint' }).click();
  await page.getByLabel('URL').fill('http://169.254.169.254/latest');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  const urlError = page.locator('#wh-url-error');
  await urlError.waitFor();
  assert.match(await urlError.innerText(), /169\.254\.169\.254|not allowed|refused|private|public/i);
  assert.equal(await page.getByLabel('URL').getAttribute('aria-invalid'), 'true');
  await assertAccessible(page, 'webhooks-new');
  await shot(page, 'webhooks-new-error');
  errors.length = 0; // the browser logs the refused POST (400) as a console error: it is expected here

  // create it for real: the secret is shown once, and copies
  await page.getByLabel('URL').fill(hook.url);
  await page.getByLabel('Description').fill('Order system');
  await page.getByRole('checkbox', { name: 'contact_created' }).check();
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await page.getByRole('heading', { name: 'Endpoint created' }).waitFor();
  const firstSecret = await shownSecret(page);
  assert.match(firstSecret, /^whsec_/);
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied', { exact: true }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), firstSecret);
  await assertAccessible(page, 'webhooks-created');
  await shot(page, 'webhooks-created-secret');
  await page.getByRole('button', { name: 'I have copied it' }).click();

  // the endpoint's page: settings, then a test event; its delivery and attempt appear in the log
  await page.locator('h1.wh-title', { hasText: hook.url }).waitFor();
  const listed = (await beckon.call('GET', '/v1/webhooks')).json().webhooks;
  assert.equal(listed.length, 1);
  const endpoint = listed[0];
  assert.deepEqual({ url: endpoint.url, events: endpoint.events, description: endpoint.description, format: endpoint.format },
    { url: hook.url, events: ['message_created', 'message_status_updated', 'contact_created'], description: 'Order system', format: 'beckon' });
  assert.equal(new URL(page.url()).pathname, `/webhooks/${endpoint.uuid}`);
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.getByText('Test delivered: the endpoint answered 200.').waitFor();
  const delivery = page.locator('.wh-deliveries details[open]');
  await delivery.waitFor();
  assert.match(await delivery.locator('summary').innerText(), /succeeded\s+webhook_test/);
  const attempt = delivery.locator('tr[data-attempt="1"]');
  assert.equal(await attempt.locator('td').nth(2).innerText(), '200');
  assert.equal(await attempt.locator('pre.excerpt').innerText(), 'thanks: received');
  assert.equal(hook.requests.length, 1);
  const first = new Webhook(firstSecret).verify(hook.requests[0].body, hook.requests[0].headers as Record<string, string>) as { event: string };
  assert.equal(first.event, 'webhook_test');
  assert.equal(await delivery.locator('code').nth(1).innerText(), hook.requests[0].headers['webhook-id']);
  await assertAccessible(page, 'webhook-endpoint');
  await shot(page, 'webhooks-endpoint');

  // rotate the secret (asked twice): the new one is shown once, and the next delivery verifies with it
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByRole('button', { name: 'Rotate', exact: true }).click();
  await page.getByRole('heading', { name: 'New signing secret' }).waitFor();
  const newSecret = await shownSecret(page);
  assert.match(newSecret, /^whsec_/);
  assert.notEqual(newSecret, firstSecret);
  await page.locator('dt', { hasText: 'Previous secret' }).waitFor();
  await assertAccessible(page, 'webhook-rotated');
  await shot(page, 'webhooks-rotated');
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.locator('.wh-deliveries > li').nth(1).waitFor();
  assert.equal(hook.requests.length, 2);
  assert.equal((new Webhook(newSecret).verify(hook.requests[1].body, hook.requests[1].headers as Record<string, string>) as { event: string }).event, 'webhook_test');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  assert.equal(await page.locator('.shown-once').count(), 0);
  await page.reload();
  await page.locator('h1.wh-title').waitFor();
  await page.locator('.wh-deliveries > li').nth(1).waitFor();
  assert.equal(await page.locator('.shown-once').count(), 0, 'the secret is not shown again');
  assert.equal((await page.content()).includes(newSecret), false);

  // the log by status
  await page.getByLabel('Status').selectOption('failed');
  await page.getByText('No delivery here.').waitFor();
  await page.getByLabel('Status').selectOption('succeeded');
  await page.locator('.wh-deliveries > li').nth(1).waitFor();
  assert.equal(await page.locator('.wh-deliveries > li').count(), 2);

  // retry the newest delivery: its second attempt joins the log, and the receiver got it
  const newest = page.locator('.wh-deliveries > li').first();
  await newest.locator('summary').click();
  await newest.getByRole('button', { name: 'Retry now' }).click();
  await newest.locator('tr[data-attempt="2"]').waitFor();
  assert.equal(await newest.locator('tr[data-attempt="2"] td').nth(2).innerText(), '200');
  assert.equal(hook.requests.length, 3);
  assert.equal(hook.requests[2].headers['webhook-id'], hook.requests[1].headers['webhook-id']);

  // edit it: every event, present and future
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('checkbox', { name: 'Every event, present and future (*)' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('dd .chip', { hasText: 'all events' }).waitFor();
  assert.deepEqual((await beckon.call('GET', `/v1/webhooks/${endpoint.uuid}`)).json().webhook.events, ['*']);
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('checkbox', { name: 'Every event, present and future (*)' }).uncheck();
  await page.getByRole('checkbox', { name: 'contact_created' }).check();
  await page.getByRole('checkbox', { name: 'Every custom event (custom.*)' }).check();
  await page.getByLabel('Custom events by name (comma separated)').fill('order_placed, cart_abandoned');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('dd .chip', { hasText: 'contact_created' }).waitFor();
  assert.deepEqual((await beckon.call('GET', `/v1/webhooks/${endpoint.uuid}`)).json().webhook.events,
    ['contact_created', 'custom.*', 'custom.order_placed', 'custom.cart_abandoned']);

  // the list shows it with its events, format and state
  await page.getByRole('link', { name: '← All endpoints' }).click();
  const row = page.locator('tbody tr', { hasText: hook.url });
  await row.waitFor();
  assert.match(await row.innerText(), /contact_created\s*all custom events\s*custom\.order_placed\s*custom\.cart_abandoned\s+Beckon\s+active/);
  await assertAccessible(page, 'webhooks-list');
  await shot(page, 'webhooks-list');

  // Settings › API keys: created with its scope, shown once, works until revoked
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByLabel('Name').fill('reporting');
  await page.getByRole('checkbox', { name: /^full/ }).uncheck();
  await page.getByRole('checkbox', { name: /^read/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByRole('heading', { name: 'The key “reporting”' }).waitFor();
  const apiKey = await shownSecret(page);
  assert.match(apiKey, /^bk_/);
  assert.equal((await beckon.call('GET', '/v1/contacts', { key: apiKey })).statusCode, 200);
  assert.equal((await beckon.call('POST', '/v1/contacts', { key: apiKey, body: { name: 'Ed', phone: '+39 333 111 2222' } })).statusCode, 403);
  const keyRow = page.locator('tbody tr', { hasText: 'reporting' });
  await keyRow.waitFor();
  assert.match(await keyRow.innerText(), new RegExp(`reporting\\s+${apiKey.slice(0, 8)}`));
  await assertAccessible(page, 'settings-keys');
  await shot(page, 'settings-keys-created');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  assert.equal((await page.content()).includes(apiKey), false, 'the key is not shown again');
  await keyRow.getByRole('button', { name: 'Revoke' }).click();
  await keyRow.getByRole('button', { name: 'Revoke' }).click();
  await keyRow.locator('.key-revoked').waitFor();
  assert.equal((await beckon.call('GET', '/v1/contacts', { key: apiKey })).statusCode, 401);
  await shot(page, 'settings-keys');

  // Settings › Channels: a Twilio number; a missing setting is said next to its field; then its callback URLs
  await page.getByRole('link', { name: 'Channels' }).click();
  await page.locator('.ch-card', { hasText: 'Sandbox WhatsApp' }).getByText('Nothing to paste').waitFor();
  await page.getByRole('button', { name: 'New channel' }).click();
  await page.getByLabel('Type', { exact: true }).selectOption('sms');
  await page.getByLabel('Provider', { exact: true }).selectOption('twilio');
  await page.getByLabel('Title', { exact: true }).fill('Support SMS');
  await page.getByLabel('Auth token *').fill('twilio-auth-token-0123456789');
  await page.getByLabel('Sender (number, short code or sender ID)').fill('+1 415 555 2671');
  await page.getByRole('button', { name: 'Create channel' }).click();
  await page.locator('#ch-new-account_sid-error').waitFor();
  await assertAccessible(page, 'settings-channel-form');
  await shot(page, 'settings-channel-form-error');
  errors.length = 0; // the refused POST (400), expected
  await page.getByLabel('Account SID *').fill('AC' + '0123456789abcdef'.repeat(2));
  await page.getByRole('button', { name: 'Create channel' }).click();
  const card = page.locator('.ch-card', { hasText: 'Support SMS' });
  await card.waitFor();
  const channels = (await beckon.call('GET', '/v1/channels')).json().channels as { uuid: string; title: string; callback_urls: Record<string, string> }[];
  const sms = channels.find((c) => c.title === 'Support SMS')!;
  assert.deepEqual(Object.keys(sms.callback_urls), ['inbound', 'status']);
  assert.equal(await card.getByLabel('Inbound messages').inputValue(), sms.callback_urls.inbound);
  assert.equal(await card.getByLabel('Status callbacks').inputValue(), sms.callback_urls.status);
  await card.getByRole('button', { name: 'Copy' }).first().click();
  await card.getByText('Copied', { exact: true }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), sms.callback_urls.inbound);
  await card.getByText('Provider settings').click();
  assert.match(await card.locator('dl').innerText(), /Sender \(number, short code or sender ID\)\s+\+14155552671[\s\S]*Auth token\s+…6789/);
  await assertAccessible(page, 'settings-channels');
  await shot(page, 'settings-channels');

  // edit it: a new title; the blank secret keeps the stored one
  await card.getByRole('button', { name: 'Edit' }).click();
  const form = page.locator('.ch-form');
  await form.getByLabel('Title', { exact: true }).fill('Support SMS US');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('.ch-card h2', { hasText: 'Support SMS US' }).waitFor();
  const edited = (await beckon.call('GET', `/v1/channels/${sms.uuid}`)).json().channel;
  assert.deepEqual([edited.title, edited.secrets, edited.config.from_number], ['Support SMS US', { auth_token: '…6789' }, '+14155552671']);

  // Settings › Templates: create one with two variables, change its status, delete it
  await page.getByRole('link', { name: 'Templates' }).click();
  await page.getByText('No template here.').waitFor();
  await page.getByRole('button', { name: 'New template' }).click();
  await page.getByLabel('Name', { exact: true }).fill('order_update');
  await page.locator('#tp-new-language').fill('en_US');
  await page.getByLabel('Body').fill('Hi {{First Name}}');
  await page.getByRole('button', { name: 'Create template' }).click();
  await page.locator('#tp-new-body-error').waitFor();
  errors.length = 0; // the refused POST (400), expected
  await page.getByLabel('Body').fill('Hi {{1}}, your order {{2}} ships today.');
  await page.locator('.tp-form .chip', { hasText: '{{2}}' }).waitFor();
  await assertAccessible(page, 'settings-template-form');
  await shot(page, 'settings-template-form');
  await page.getByRole('button', { name: 'Create template' }).click();
  const tplRow = page.locator('tbody tr', { hasText: 'order_update' });
  await tplRow.waitFor();
  assert.match(await tplRow.innerText(), /order_update\s+en_US\s+Utility\s+WhatsApp\s+approved\s+Hi \{\{1\}\}, your order \{\{2\}\} ships today\.\s+1\s*2/);
  await tplRow.getByRole('button', { name: 'Edit order_update' }).click();
  await page.locator('.tp-form select[id$="-status"]').selectOption('paused');
  await page.getByRole('button', { name: 'Save' }).click();
  await tplRow.getByText('paused').waitFor();
  const templates = (await beckon.call('GET', '/v1/templates')).json().templates as { name: string; status: string; variables: string[] }[];
  assert.deepEqual(templates.map((x) => [x.name, x.status, x.variables]), [['order_update', 'paused', ['1', '2']]]);
  await assertAccessible(page, 'settings-templates');
  await shot(page, 'settings-templates');
  await tplRow.getByRole('button', { name: 'Delete' }).click();
  await tplRow.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No template here.').waitFor();

  // 375 px: no sideways scroll, each page looks right (with a template in its table)
  const welcome = await beckon.call('POST', '/v1/templates', { body: { name: 'welcome', language: 'en', category: 'MARKETING', channel_type: 'sms', body: 'Welcome {{first_name}}!' } });
  assert.equal(welcome.statusCode, 201, welcome.body);
  await page.setViewportSize({ width: 375, height: 800 });
  for (const [path, name, ready] of [
    [`/webhooks/${endpoint.uuid}`, 'webhooks-endpoint-375', '.wh-deliveries'], ['/webhooks', 'webhooks-list-375', 'tbody tr'],
    ['/settings/channels', 'settings-channels-375', '.ch-card'], ['/settings/templates', 'settings-templates-375', 'tbody tr'],
    ['/settings/keys', 'settings-keys-375', 'tbody tr'],
  ] as const) {
    await page.goto(base + path);
    await page.locator(ready).first().waitFor();
    assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways at 375 px`);
    await shot(page, name);
  }

  assert.deepEqual(errors, []);

  // an agent reads the endpoint and its log, and sees no admin action
  const invited = await beckon.call('POST', '/v1/users', { body: { email: AGENT.email, name: 'Bo', role: 'agent' } });
  assert.equal(invited.statusCode, 201, invited.body);
  const token = decodeURIComponent(invited.json().invitation.url.split('/invite/')[1]);
  const accepted = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: AGENT.password } });
  assert.equal(accepted.statusCode, 200, accepted.body);
  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  const agentErrors = watchErrors(agent);
  await agent.goto(`${base}/webhooks/${endpoint.uuid}`);
  await agent.getByLabel('Email').fill(AGENT.email);
  agentErrors.length = 0; // the sign-in page's GET /v1/auth/me answers 401 before there is a session: expected
  await agent.getByLabel('Password').fill(AGENT.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.locator('.wh-deliveries > li').nth(1).waitFor();
  for (const name of ['Send a test event', 'Rotate secret', 'Delete', 'Retry now']) assert.equal(await agent.getByRole('button', { name }).count(), 0, name);
  await agent.goto(`${base}/settings/channels`);
  await agent.locator('.ch-card').first().waitFor();
  assert.equal(await agent.getByRole('link', { name: 'API keys' }).count(), 0);
  assert.equal(await agent.getByRole('button', { name: 'New channel' }).count(), 0);
  assert.equal(await agent.getByRole('button', { name: 'Edit' }).count(), 0);
  await shot(agent, 'settings-channels-agent');
  assert.deepEqual(agentErrors, []);

  // delete the endpoint (asked twice): the list is empty again
  await page.goto(`${base}/webhooks/${endpoint.uuid}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No webhook endpoint yet.').waitFor();
  assert.equal((await beckon.call('GET', `/v1/webhooks/${endpoint.uuid}`)).statusCode, 404);

  // in French, on a phone
  await page.goto(`${base}/settings/channels`);
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { name: 'URL de rappel' }).first().waitFor();
  assert.equal(await scrollsSideways(page), false);
  await shot(page, 'settings-channels-fr-375');
  assert.deepEqual(errors, []);
});
