// Settings › Users, Teams, Custom fields and the overview's contacts, webhooks and queue charts in a real browser
// (Debian's chromium via playwright-core) against the real server: invite a user and open the link in another
// browser context, what an agent sees, a team with a member, a custom field (its field error first), then the
// overview's new charts with exact figures; no console error, no serious axe-core violation, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBeckon, TEST_STORE } from '../helpers.ts';
import { newId } from '../../src/lib/ids.ts';
import { insertMessage } from '../../src/messages/queries.ts';
import { assertAccessible, NO_BROWSER, openApp, shot, watchErrors } from './support.ts';

const skip = NO_BROWSER || (TEST_STORE === 'postgres' ? 'store-independent pages: the browser tests run in the SQLite pass' : false);
const EMAIL = 'ana@example.com';
const PASSWORD = 'correct horse battery';

/** Checks the page at 375 px (no horizontal scroll, accessible), saves its screenshot, and goes back to 1280 px. */
async function narrow(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 375, height: 740 });
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), `${name}: no horizontal scroll at 375 px`);
  await assertAccessible(page, `${name} at 375 px`);
  await shot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('settings in chromium: invite a user (link opened in another context), teams and members, custom fields, what agents see; the overview\'s contacts, webhooks and queue charts', { skip, timeout: 120_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: EMAIL, BECKON_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD, BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' });
  t.after(() => beckon.stop());
  const { page, base, errors, browser } = await openApp(t, beckon, { email: EMAIL, password: PASSWORD }, { path: '/settings/users' });
  errors.length = 0; // the first GET /v1/auth/me (no session yet) answers 401, which the browser logs: expected

  // users: invite an agent; the one-time link is shown to copy
  await page.getByRole('heading', { name: 'Invite a user' }).waitFor();
  await page.getByLabel('Name').fill('Andy Agent');
  await page.getByLabel('Email').fill('andy@example.com');
  await page.getByRole('button', { name: 'Create and get the link' }).click();
  const linkField = page.getByLabel('One-time link');
  await linkField.waitFor();
  const link = await linkField.inputValue();
  assert.match(link, /\/invite\/[^/]+$/);
  assert.match(await page.locator('.one-time-link p').innerText(), /^Invitation link for Andy Agent: hand it over, it works once until /);
  await page.locator('tr[data-user="andy@example.com"]', { hasText: 'Invited (no password yet)' }).waitFor();

  // the link, opened in another browser context, sets Andy's password and signs him in
  const other = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  const otherErrors = watchErrors(other);
  await other.goto(base + new URL(link).pathname);
  await other.getByRole('heading', { name: 'Choose your password' }).waitFor();
  otherErrors.length = 0; // a fresh browser's GET /v1/auth/me answers 401: expected
  await other.getByLabel('Password (10 characters or more)').fill('andy password 1');
  await other.getByRole('button', { name: 'Save and sign in' }).click();
  await other.locator('header .user', { hasText: 'Andy Agent' }).waitFor();

  // the admin's list shows him active; a reset-password link for him
  await page.reload();
  await page.locator('tr[data-user="andy@example.com"]', { hasText: 'Active' }).waitFor();
  await page.locator('tr[data-user="andy@example.com"]').getByRole('button', { name: 'Reset-password link' }).click();
  await page.locator('.one-time-link p', { hasText: 'Password reset link for Andy Agent' }).waitFor();
  assert.match(await page.getByLabel('One-time link').inputValue(), /\/reset-password\/[^/]+$/);
  await page.getByLabel('Availability of Andy Agent').selectOption('away');
  await page.waitForFunction(`document.querySelector('select[aria-label="Availability of Andy Agent"]')?.value === 'away'`);
  await assertAccessible(page, 'settings users');
  await shot(page, 'settings-users');
  await narrow(page, 'settings-users');
  const andy = (await beckon.call('GET', '/v1/users')).json().users.find((u: { email: string }) => u.email === 'andy@example.com');
  assert.deepEqual([andy.name, andy.role, andy.availability, andy.has_password], ['Andy Agent', 'agent', 'away', true]);

  // teams: create one (the empty name's error next to the field first), add Andy
  await page.getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('heading', { name: 'Create a team' }).waitFor();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.locator('#team-name-error').waitFor();
  errors.length = 0; // the refused create (400) is logged by the browser as a failed request: expected
  await page.getByLabel('Team name').fill('Support');
  await page.getByLabel('Assign new conversations round-robin among available members').check();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const card = page.locator('section.team[data-team="Support"]');
  await card.waitFor();
  await card.getByText('No member yet.').waitFor();
  await card.getByLabel('Add a member').selectOption({ label: 'Andy Agent' });
  await card.getByRole('button', { name: 'Add', exact: true }).click();
  await card.getByRole('button', { name: 'Remove Andy Agent from Support' }).waitFor();
  const team = (await beckon.call('GET', '/v1/teams')).json().teams[0];
  assert.deepEqual([team.name, team.auto_assign, team.member_uuids], ['Support', true, [andy.uuid]]);
  await assertAccessible(page, 'settings teams');
  await shot(page, 'settings-teams');
  await narrow(page, 'settings-teams');

  // custom fields: a bad key is refused next to the field; a dropdown; its label edited
  await page.getByRole('link', { name: 'Custom fields' }).click();
  await page.getByRole('heading', { name: 'Create a custom field' }).waitFor();
  await page.getByLabel('Key (snake_case, cannot change)').fill('Plan Name');
  await page.getByLabel('Label', { exact: true }).fill('Plan');
  await page.getByLabel('Type').selectOption('dropdown');
  await page.getByLabel('Options (one per line)').fill('basic\npro');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.locator('#field-key-error').waitFor();
  errors.length = 0; // the refused create (400): expected
  await page.getByLabel('Key (snake_case, cannot change)').fill('plan');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const row = page.locator('tr[data-field="plan"]');
  await row.waitFor();
  assert.deepEqual(await row.locator('td').allInnerTexts().then((cells) => cells.slice(0, 4)), ['plan', 'Plan', 'Dropdown', 'basic, pro']);
  await row.getByRole('button', { name: 'Edit label' }).click();
  await page.getByLabel('Label of plan').fill('Subscription plan');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.getByText('Subscription plan').waitFor();
  const fields = (await beckon.call('GET', '/v1/custom_fields')).json().custom_fields;
  assert.deepEqual(fields.map((f: { key: string; label: string; type: string; options: string[] }) => [f.key, f.label, f.type, f.options]), [['plan', 'Subscription plan', 'dropdown', ['basic', 'pro']]]);
  await assertAccessible(page, 'settings fields');
  await shot(page, 'settings-fields');
  await narrow(page, 'settings-fields');

  // an agent sees the lists, not the admin-only actions, and sets his own availability
  await other.goto(base + '/settings/users');
  await other.getByText('Only admins invite, change and remove users.').waitFor();
  assert.equal(await other.getByRole('heading', { name: 'Invite a user' }).count(), 0);
  assert.equal(await other.getByRole('button', { name: /Remove|Reset-password link/ }).count(), 0);
  assert.equal(await other.getByRole('link', { name: 'API keys' }).count(), 0);
  await other.getByLabel('My availability').selectOption('available');
  await other.waitForFunction(`document.querySelector('select[aria-label="My availability"]')?.value === 'available'`);
  await assertAccessible(other, 'settings users (agent)');
  await shot(other, 'settings-users-agent');
  await other.getByRole('link', { name: 'Teams' }).click();
  await other.getByText('Only admins create and change teams.').waitFor();
  await other.locator('section.team[data-team="Support"]', { hasText: 'Andy Agent' }).waitFor();
  assert.equal(await other.getByRole('button', { name: /Add|Delete team|Remove/ }).count(), 0);
  await other.getByRole('link', { name: 'Custom fields' }).click();
  await other.locator('tr[data-field="plan"]').waitFor();
  assert.equal(await other.getByRole('button', { name: /Edit label|Delete/ }).count(), 0);
  assert.equal((await beckon.call('GET', `/v1/users/${andy.uuid}`)).json().user.availability, 'available');
  assert.deepEqual(otherErrors, [], 'console errors (agent)');

  // the overview: contacts growth and opt-outs, webhook health, the queue, from data laid down now
  const { db } = beckon.runtime.deps;
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid as string;
  const contacts: string[] = [];
  for (const phone of ['+393330000001', '+393330000002', '+393330000003']) contacts.push((await beckon.call('POST', '/v1/contacts', { body: { phone } })).json().contact.uuid);
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${contacts[0]}`, { body: { consent: { sms: { status: 'opted_out' } } } })).statusCode, 200);
  const hook = await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['message_status_updated'] } });
  assert.equal(hook.statusCode, 201, hook.body);
  const now = new Date().toISOString();
  for (const status of ['succeeded', 'succeeded', 'succeeded', 'failed'] as const) {
    await db.insertInto('webhook_deliveries').values({ id: newId(), workspace_id: workspaceId, endpoint_id: hook.json().webhook.uuid, event_id: newId(), part: 0, event_type: 'message_status_updated', status, attempt_count: 1, next_attempt_at: null, last_status_code: status === 'failed' ? 500 : 200, last_error: null, created_at: now, updated_at: now }).execute();
  }
  // a message waiting to be sent (no job: it stays enqueued)
  const channel = (await beckon.call('GET', '/v1/channels')).json().channels[0].uuid as string;
  await insertMessage(db, { id: newId(), workspace_id: workspaceId, channel_id: channel, contact_id: contacts[1], direction: 'outbound', type: 'text', content: '{"text":"x"}', status: 'enqueued', status_history: '[]', provider_message_id: null, error: null, metadata: null, created_at: now, updated_at: now, deleted_at: null, channel_type: 'whatsapp', address: '+393330000002', template_uuid: null, template_values: null, optin_contact: null, template: null, subject: null, html: null, campaign_id: null });

  await page.getByRole('link', { name: 'Overview' }).click();
  await page.locator('[data-stat="contacts"]').waitFor();
  await page.locator('[data-stat="waiting"]').waitFor();
  const stat = (name: string) => page.locator(`[data-stat="${name}"]`).innerText();
  assert.deepEqual([await stat('contacts'), await stat('new-contacts'), await stat('opt-outs'), await stat('webhooks'), await stat('waiting'), await stat('pending-hooks')], ['3', '3', '1', '75%', '1', '0']);
  for (const chart of ['status', 'channels', 'contacts', 'new-contacts', 'webhooks', 'queue']) {
    assert.equal(await page.locator(`[data-chart="${chart}"] canvas`).count(), 1, `the ${chart} chart is drawn`);
  }
  // the channel legend names the channel by its title
  const title = (await beckon.call('GET', '/v1/channels')).json().channels[0].title as string;
  await page.locator('[data-chart="channels"] .u-legend', { hasText: title }).waitFor();
  await assertAccessible(page, 'overview');
  await shot(page, 'overview-activity');
  await narrow(page, 'overview-activity');
  assert.deepEqual(errors, [], 'console errors');
});
