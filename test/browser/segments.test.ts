// The segments pages and the contacts page's import and export in a real browser (Debian's chromium via
// playwright-core) against the real server: build a segment in the rule builder and watch its live count follow the
// rules (and agree with the API), see a field error at its control, save it and find it listed with its count; a
// static list with a contact added and removed, deleted after a confirmation; import a CSV with one bad row and
// follow its progress to done with the error listed; export the filtered contacts. Screenshots at 1280 and 375 px.
// The pages do not depend on the store: it runs in the SQLite pass only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBeckon, TEST_STORE } from '../helpers.ts';
import { assertAccessible, NO_BROWSER, openApp, shot } from './support.ts';
import { condErrors, fromRules, incomplete, toRules, type GroupNode } from '../../web/src/pages/segments/model.ts';

const skip = NO_BROWSER || (TEST_STORE === 'postgres' ? 'store-independent pages: the browser tests run in the SQLite pass' : false);
const EMAIL = 'mara@example.com';
const PASSWORD = 'correct horse battery';

test('segments in chromium: rule builder with a live count, save, list with counts, static list, delete; contacts CSV import with progress and errors; export', { skip, timeout: 120_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: EMAIL, BECKON_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  t.after(() => beckon.stop());
  const field = await beckon.call('POST', '/v1/custom_fields', { body: { key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'] } });
  assert.equal(field.statusCode, 201, field.body);
  const seeded = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [
    { name: 'Ana', phone: '+39 333 100 0001', tags: ['vip'], custom_fields: { plan: 'pro' } },
    { name: 'Bruno', phone: '+39 333 100 0002', tags: ['vip'], custom_fields: { plan: 'free' } },
    { name: 'Carla', phone: '+39 333 100 0003', tags: ['vip', 'news'], custom_fields: { plan: 'pro' } },
    { name: 'Dario', phone: '+39 333 100 0004', tags: [], custom_fields: { plan: 'pro' } },
    { name: 'Elena', email: 'elena@example.com', tags: ['news'] },
  ] } });
  assert.equal(seeded.statusCode, 200, seeded.body);
  assert.equal(seeded.json().meta.inserted, 5);

  const { page, errors } = await openApp(t, beckon, { email: EMAIL, password: PASSWORD }, { path: '/segments' });
  await page.getByRole('heading', { name: 'Segments' }).waitFor();
  await page.getByText('No segment yet: create one to target a campaign.').waitFor();

  // the rule builder: tags has the tag vip → 3, and plan is pro → 2, counted live
  await page.getByRole('link', { name: 'New segment' }).click();
  await page.getByRole('heading', { name: 'New segment' }).waitFor();
  await page.getByLabel('Name').fill('VIP on Pro');
  const count = page.locator('.live-count .big');
  const conditions = page.locator('.condition');
  assert.equal(await conditions.count(), 1);
  await conditions.nth(0).getByLabel('Tag').fill('vip');
  await page.locator('.live-count .big[data-count="3"]').waitFor();
  await page.getByRole('button', { name: '+ Condition' }).click();
  await page.getByText('Fill in every condition to see the count.').waitFor(); // an empty condition waits for its value
  await conditions.nth(1).getByLabel('Field').selectOption('custom_fields.plan');
  assert.equal(await conditions.nth(1).getByLabel('Comparison').inputValue(), 'eq');
  await conditions.nth(1).getByLabel('Value').selectOption('pro');
  await page.locator('.live-count .big[data-count="2"]').waitFor();
  assert.equal(await count.innerText(), '2');
  assert.deepEqual(await page.locator('.live-count .sample li').allInnerTexts(), ['Carla', 'Ana']);
  const rules: { all: unknown[] } = { all: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'custom_fields.plan', op: 'eq', value: 'pro' }] };
  const preview = await beckon.call('POST', '/v1/segments/preview', { body: { rules } });
  assert.equal(preview.json().count, 2, 'the live count is the API\'s');

  // a bad value: the API's error shows at that condition's value, and the count waits for a valid rule
  await page.getByRole('button', { name: '+ Condition' }).click();
  await conditions.nth(2).getByLabel('Field').selectOption('last_inbound_at');
  assert.equal(await conditions.nth(2).getByLabel('Comparison').inputValue(), 'within_days');
  await conditions.nth(2).getByLabel('Days').fill('0');
  await conditions.nth(2).locator('.field-error', { hasText: 'must be a whole number of days from 1 to 36500' }).waitFor();
  assert.equal(await conditions.nth(2).getByLabel('Days').getAttribute('aria-invalid'), 'true');
  await page.locator('.live-count .big[data-count=""]').waitFor();
  errors.length = 0; // the browser logs the refused preview (400) as a console error: it is expected here
  await conditions.nth(2).getByRole('button', { name: 'Remove this condition' }).click();
  await page.locator('.live-count .big[data-count="2"]').waitFor();
  assert.equal(await page.locator('.condition .field-error').count(), 0);

  // a nested group, negated: NOT (any of: has the tag news, name starts with Zed) → Carla leaves
  await page.getByRole('button', { name: '+ Group' }).click();
  const group = page.locator('.rule-group.depth-1');
  assert.equal(await group.getByLabel('Group matching').inputValue(), 'any');
  await group.locator('.condition').nth(0).getByLabel('Tag').fill('news');
  await group.getByRole('button', { name: '+ Condition' }).click();
  await group.locator('.condition').nth(1).getByLabel('Field').selectOption('name');
  await group.locator('.condition').nth(1).getByLabel('Comparison').selectOption('starts_with');
  await group.locator('.condition').nth(1).getByLabel('Value').fill('Zed');
  await page.locator('.live-count .big[data-count="1"]').waitFor(); // vip, pro, and (news or Zed…): Carla
  await page.locator('.live-count .sample li', { hasText: 'Carla' }).waitFor();
  await group.getByLabel('Exclude (NOT)').check();
  await page.locator('.live-count .sample li', { hasText: 'Ana' }).waitFor();
  assert.equal(await count.innerText(), '1');
  assert.deepEqual(await page.locator('.live-count .sample li').allInnerTexts(), ['Ana']);
  rules.all.push({ not: { any: [{ field: 'tags', op: 'contains', value: 'news' }, { field: 'name', op: 'starts_with', value: 'Zed' }] } });
  assert.equal((await beckon.call('POST', '/v1/segments/preview', { body: { rules } })).json().count, 1);
  await assertAccessible(page, 'segment builder');
  await shot(page, 'segments-builder');

  // save: the segment's page shows its rules and members; the API stored exactly the rules built
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.getByRole('heading', { name: 'VIP on Pro' }).waitFor();
  await page.locator('.segment-facts [data-members="1"]').waitFor();
  assert.deepEqual(await page.locator('table.members tbody td:first-child').allInnerTexts(), ['Ana']);
  assert.deepEqual(await page.locator('.rules-summary li.rule').allInnerTexts(), ['Tags has the tag vip', 'Plan is pro', 'Tags has the tag news', 'Name starts with Zed']);
  const listed = (await beckon.call('GET', '/v1/segments')).json().segments;
  assert.equal(listed.length, 1);
  assert.deepEqual({ name: listed[0].name, type: listed[0].type, rules: listed[0].rules }, { name: 'VIP on Pro', type: 'dynamic', rules });
  const vipUuid = listed[0].uuid as string;
  await assertAccessible(page, 'segment page');
  await shot(page, 'segments-segment');

  // the list, with the member count
  await page.getByRole('link', { name: 'All segments' }).click();
  const vipRow = page.locator(`tr[data-segment="${vipUuid}"]`);
  await vipRow.locator('[data-members="1"]').waitFor();
  assert.deepEqual(await vipRow.locator('td').allInnerTexts().then((cells) => cells.slice(0, 3)), ['VIP on Pro', 'Dynamic', '1']);

  // a static list: add a contact found by search, remove it, then delete the list after confirming
  await page.getByRole('link', { name: 'New segment' }).click();
  await page.getByLabel('Name').fill('Call back');
  await page.getByLabel('Static list: the contacts you add').check();
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.getByRole('heading', { name: 'Call back' }).waitFor();
  await page.getByText('No member yet.').waitFor();
  await page.getByLabel('Find contacts (name, phone or email)').fill('elena');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: 'Add Elena to the list' }).click();
  await page.locator('table.members', { hasText: 'Elena' }).waitFor();
  await page.locator('.segment-facts [data-members="1"]').waitFor();
  await assertAccessible(page, 'static list');
  await shot(page, 'segments-static');
  await page.getByRole('button', { name: 'Remove Elena from the list' }).click();
  await page.getByText('No member yet.').waitFor();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Delete the segment “Call back”? The contacts stay; only the segment goes.').waitFor();
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await vipRow.waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.deepEqual((await beckon.call('GET', '/v1/segments')).json().segments.map((s: { name: string }) => s.name), ['VIP on Pro']);
  await assertAccessible(page, 'segments list');
  await shot(page, 'segments-list');

  // 375 px: the editor of the saved segment loads its rules and counts them
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${new URL(page.url()).origin}/segments/${vipUuid}/edit`);
  await page.locator('.live-count .big[data-count="1"]').waitFor();
  assert.equal(await page.locator('.condition').count(), 4);
  assert.ok(await page.locator('.rule-group.depth-1').getByLabel('Exclude (NOT)').isChecked());
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), 'no horizontal scroll at 375 px (editor)');
  await assertAccessible(page, 'segment editor at 375 px');
  await shot(page, 'segments-builder-375');
  await page.goto(`${new URL(page.url()).origin}/segments`);
  await vipRow.locator('[data-members="1"]').waitFor();
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), 'no horizontal scroll at 375 px (list)');
  await shot(page, 'segments-list-375');
  await page.setViewportSize({ width: 1280, height: 800 });

  // import a CSV with one bad row: the progress reaches done and the bad row is listed with its line
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('cell', { name: '+393331000001' }).waitFor();
  await page.getByText('Import contacts').click();
  const csv = 'name,phone,email,tags\nFiona,+39 333 200 0001,fiona@example.com,vip\nGino,+39 333 200 0002,not-an-email,\nHana,+39 333 200 0003,hana@example.com,"vip,news"\n';
  await page.getByLabel('File (CSV or NDJSON)').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.import-progress[data-status="completed"]').waitFor();
  assert.equal(await page.locator('.import-progress [role="status"]').innerText(), 'Done: 3 rows — 2 added, 0 updated, 0 unchanged, 0 skipped, 1 failed.');
  assert.deepEqual(await page.locator('#import-bar').evaluate((bar) => [(bar as unknown as { value: number }).value, (bar as unknown as { max: number }).max]), [1, 1]);
  assert.equal(await page.locator('.import-errors caption').innerText(), 'Rows not imported (1)');
  const errorRows = await page.locator('.import-errors tbody tr').allInnerTexts();
  assert.equal(errorRows.length, 1);
  assert.match(errorRows[0], /^3\t.*not-an-email/);
  await page.getByRole('cell', { name: '+393332000003' }).waitFor(); // the list reloaded with the imported contacts
  await assertAccessible(page, 'contacts import');
  await shot(page, 'contacts-import');

  // export the filtered contacts (tag vip) as CSV
  await page.getByLabel('Tag').fill('vip');
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('cell', { name: 'Bruno' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export these contacts (CSV)' }).click()]);
  assert.match(download.suggestedFilename(), /^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  const header = exported[0].split(',');
  const nameAt = header.indexOf('name');
  assert.deepEqual(header.slice(0, 5), ['uuid', 'name', 'phone', 'email', 'tags']);
  assert.deepEqual(exported.slice(1).map((line) => line.split(',')[nameAt]).sort(), ['Ana', 'Bruno', 'Carla', 'Fiona', 'Hana']);

  await page.setViewportSize({ width: 375, height: 740 });
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), 'no horizontal scroll at 375 px (contacts)');
  await assertAccessible(page, 'contacts at 375 px');
  await shot(page, 'contacts-import-375');
  assert.deepEqual(errors, [], 'console errors');
});

test('segments in chromium: consent, custom event conditions (count, data property) in the builder, an event name error at its control; French', { skip, timeout: 90_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: EMAIL, BECKON_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  t.after(() => beckon.stop());
  const seeded = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [
    { name: 'Ana', phone: '+39 333 100 0001', consent: { whatsapp: { status: 'opted_in' } } },
    { name: 'Bruno', phone: '+39 333 100 0002', consent: { whatsapp: { status: 'opted_out' } } },
    { name: 'Carla', phone: '+39 333 100 0003' },
  ] } });
  assert.equal(seeded.json().meta.inserted, 3, seeded.body);
  const events = await beckon.call('POST', '/v1/events/batch', { body: { events: [
    { name: 'order_placed', contact: { phone: '+39 333 100 0001' }, data: { total: 40 } },
    { name: 'order_placed', contact: { phone: '+39 333 100 0001' }, data: { total: 15 } },
    { name: 'order_placed', contact: { phone: '+39 333 100 0002' }, data: { total: 40 } },
  ] } });
  assert.equal(events.json().meta.accepted, 3, events.body);

  const { page, errors } = await openApp(t, beckon, { email: EMAIL, password: PASSWORD }, { path: '/segments/new' });
  await page.getByRole('heading', { name: 'New segment' }).waitFor();
  await page.getByLabel('Name').fill('Buyers');
  const first = page.locator('.condition').nth(0);
  await first.getByLabel('Field').selectOption('consent.whatsapp');
  assert.equal(await first.getByLabel('Comparison').inputValue(), 'eq');
  await first.getByLabel('Value').selectOption('opted_in');
  await page.locator('.live-count .big[data-count="1"]').waitFor();
  await first.getByLabel('Comparison').selectOption('in');
  await first.getByLabel('opted in').check();
  await first.getByLabel('opted out').check();
  await page.locator('.live-count .big[data-count="2"]').waitFor();

  await page.getByRole('button', { name: '+ Condition' }).click();
  const second = page.locator('.condition').nth(1);
  await second.getByLabel('Field').selectOption('event');
  assert.equal(await second.getByLabel('Comparison').inputValue(), 'performed');
  await second.getByLabel('Event name').fill('order_placed');
  await page.locator('.live-count .sample li', { hasText: 'Bruno' }).waitFor();
  await second.getByLabel('At least (times)').fill('2');
  await page.locator('.live-count .big[data-count="1"]').waitFor();
  assert.deepEqual(await page.locator('.live-count .sample li').allInnerTexts(), ['Ana']);
  await second.getByLabel('At least (times)').fill('');
  await second.getByLabel('Data key (optional)').fill('total');
  await second.getByLabel('Equals').fill('40');
  await page.locator('.live-count .big[data-count="2"]').waitFor();
  assert.deepEqual(await page.locator('.live-count .sample li').allInnerTexts(), ['Bruno', 'Ana']);

  // a name that is not a custom event name: the API's error shows at the event name
  await second.getByLabel('Event name').fill('Order Placed');
  await second.locator('.field-error', { hasText: 'event.<name> needs a custom event name' }).waitFor();
  assert.equal(await second.getByLabel('Event name').getAttribute('aria-invalid'), 'true');
  errors.length = 0; // the refused preview (400) is logged by the browser: expected here
  await second.getByLabel('Event name').fill('order_placed');
  await page.locator('.live-count .big[data-count="2"]').waitFor();
  assert.equal(await page.locator('.condition .field-error').count(), 0);
  await assertAccessible(page, 'builder with consent and event conditions');
  await shot(page, 'segments-builder-events');
  await page.setViewportSize({ width: 375, height: 740 });
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), 'no horizontal scroll at 375 px (event conditions)');
  await shot(page, 'segments-builder-events-375');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.getByRole('heading', { name: 'Buyers' }).waitFor();
  await page.locator('.segment-facts [data-members="2"]').waitFor();
  assert.deepEqual(await page.locator('.rules-summary li.rule').allInnerTexts(), ['WhatsApp consent is one of opted in, opted out', 'Event order_placed happened total = 40']);
  const saved = (await beckon.call('GET', '/v1/segments')).json().segments[0];
  assert.deepEqual(saved.rules, { all: [
    { field: 'consent.whatsapp', op: 'in', value: ['opted_in', 'opted_out'] },
    { field: 'event.order_placed', op: 'performed', value: { property: 'total', equals: 40 } },
  ] });

  // in French
  await page.getByLabel('Language').first().selectOption('fr');
  await page.getByRole('heading', { name: 'Règles' }).waitFor();
  assert.deepEqual(await page.locator('.rules-summary li.rule').allInnerTexts(), ['Consentement WhatsApp est l’un de accepté, refusé', 'Événement order_placed a eu lieu total = 40']);
  await assertAccessible(page, 'segment page in French');
  await shot(page, 'segments-segment-fr');
  assert.deepEqual(errors, [], 'console errors');
});

test('segments in chromium, as an agent: segments and their members are readable, no create, edit, delete or import (the API refuses agents those); export stays', { skip, timeout: 60_000 }, async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { name: 'Ana', phone: '+39 333 100 0001', tags: ['vip'] } })).statusCode, 201);
  const segment = await beckon.call('POST', '/v1/segments', { body: { name: 'VIPs', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'vip' } } });
  assert.equal(segment.statusCode, 201, segment.body);
  const created = await beckon.call('POST', '/v1/users', { body: { email: 'bo@example.com', name: 'Bo', role: 'agent' } });
  const token = created.json().invitation.url.split('/invite/')[1];
  assert.equal((await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: PASSWORD } })).statusCode, 200);

  const { page, errors } = await openApp(t, beckon, { email: 'bo@example.com', password: PASSWORD }, { path: '/segments' });
  errors.length = 0; // the session check before signing in (401) is logged by the browser: expected
  const row = page.locator(`tr[data-segment="${segment.json().segment.uuid}"]`);
  await row.locator('[data-members="1"]').waitFor();
  assert.equal(await page.getByRole('link', { name: 'New segment' }).count(), 0);
  await row.getByRole('link', { name: 'VIPs' }).click();
  await page.getByRole('cell', { name: 'Ana' }).waitFor();
  assert.deepEqual(await page.locator('.rules-summary li.rule').allInnerTexts(), ['Tags has the tag vip']);
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
  await assertAccessible(page, 'segment page (agent)');
  await page.setViewportSize({ width: 375, height: 740 });
  assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 375'), 'no horizontal scroll at 375 px (segment page)');
  await shot(page, 'segments-segment-375');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'Export all contacts (CSV)' }).waitFor();
  assert.equal(await page.getByText('Import contacts').count(), 0);
  assert.deepEqual(errors, [], 'console errors');
});

test('segments rule model: the builder\'s tree and the API\'s rules convert both ways, with the path of each node for its errors', () => {
  const rules = { not: { any: [
    { field: 'tags', op: 'in', value: ['vip', 'news'] },
    { all: [{ field: 'last_inbound_at', op: 'within_days', value: 30 }, { field: 'email', op: 'exists' }] },
    { field: 'event.cart_abandoned', op: 'performed', value: { at_least: 2, within_days: 7 } },
    { not: { field: 'custom_fields.vip', op: 'eq', value: true } },
  ] } };
  const root: GroupNode = fromRules(rules);
  assert.equal(root.negate, true);
  assert.equal(root.mode, 'any');
  assert.equal(incomplete(root), false);
  const booleanField = [{ uuid: 'f', key: 'vip', label: 'VIP', type: 'checkbox' as const, options: [], created_at: '', updated_at: '' }];
  const { rules: back, paths } = toRules(root, booleanField);
  // a negated condition comes back as a negated group of one
  assert.deepEqual(back, { not: { any: [
    { field: 'tags', op: 'in', value: ['vip', 'news'] },
    { all: [{ field: 'last_inbound_at', op: 'within_days', value: 30 }, { field: 'email', op: 'exists' }] },
    { field: 'event.cart_abandoned', op: 'performed', value: { at_least: 2, within_days: 7 } },
    { not: { all: [{ field: 'custom_fields.vip', op: 'eq', value: true }] } },
  ] } });
  const nested = root.children[1] as GroupNode;
  assert.equal(paths.get(root.id), 'rules.not');
  assert.equal(paths.get(root.children[0].id), 'rules.not.any.0');
  assert.equal(paths.get(nested.children[0].id), 'rules.not.any.1.all.0');
  assert.deepEqual(condErrors({ 'rules.not.any.1.all.0.value': 'must be a whole number', 'rules.not.any.0.value.1': 'bad tag', 'rules.not.any.2.value.at_least': 'too many' }, 'rules.not.any.1.all.0'), { value: 'must be a whole number' });
  assert.deepEqual(condErrors({ 'rules.not.any.0.value.1': 'bad tag' }, 'rules.not.any.0'), { value: 'bad tag' });
  assert.deepEqual(condErrors({ 'rules.not.any.2.value.at_least': 'too many', 'rules.not.any.2.field': 'bad name' }, 'rules.not.any.2'), { 'value.at_least': 'too many', field: 'bad name' });
  const empty = fromRules({ all: [{ field: 'name', op: 'eq', value: '' }] });
  assert.equal(incomplete(empty), true);
});
