// The campaigns pages in a real browser (Debian's chromium via playwright-core) against the real server: contacts, a
// list and a sandbox channel seeded through the API; create a campaign in the form (the API's field error first),
// preview it for two contacts of the audience, test-send it, send it and watch the statistics reach every message
// delivered live, a click show in the link table, the list's figures, and the pages at 375 px. No console error, no
// serious axe-core violation, a screenshot of each page. The pages do not depend on the store: SQLite pass only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, TEST_STORE } from '../helpers.ts';
import { contact, optedIn, sandboxChannel, staticSegment } from '../campaign-fixtures.ts';
import { assertAccessible, NO_BROWSER, openApp, shot, watchErrors } from './support.ts';

const skip = NO_BROWSER || (TEST_STORE === 'postgres' ? 'store-independent pages: the browser tests run in the SQLite pass' : false);
const EMAIL = 'maria@example.com';
const PASSWORD = 'correct horse battery';
const TEXT = 'Hi {{ contact.first_name | default: "there" }}! Spring sale: https://shop.example.com/spring';

test('campaigns in chromium: create with a per-contact preview, test send, send, live statistics to every message delivered, list, 375 px', { skip, timeout: 120_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_SANDBOX_DELAYS: '300,600,900', BECKON_PUBLIC_URL: 'https://beckon.example.com',
    BECKON_BOOTSTRAP_ADMIN_EMAIL: EMAIL, BECKON_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  t.after(() => beckon.stop());

  // seed: a sandbox WhatsApp channel, three opted-in contacts (one without a name) and one without opt-in, in a list
  const channel = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Spring sandbox' } });
  assert.equal(channel.statusCode, 201, channel.body);
  const ana = await contact(beckon, { name: 'Ana Lima', phone: '+39 333 111 0001', consent: optedIn('whatsapp') });
  const bruno = await contact(beckon, { name: 'Bruno Costa', phone: '+39 333 111 0002', consent: optedIn('whatsapp') });
  const nameless = await contact(beckon, { phone: '+39 333 111 0003', consent: optedIn('whatsapp') });
  const dora = await contact(beckon, { name: 'Dora Reis', phone: '+39 333 111 0004' });
  await staticSegment(beckon, 'Spring customers', [ana, bruno, nameless, dora]);

  const { page, base, errors, browser } = await openApp(t, beckon, { email: EMAIL, password: PASSWORD }, { path: '/campaigns' });
  errors.length = 0; // before signing in, GET /v1/auth/me answered 401 (no session yet): expected
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  await page.getByText('No campaign yet.').waitFor();
  await assertAccessible(page, 'campaigns list (empty)');

  // the form: the API's field error next to the name, then a campaign with a live per-contact preview
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.getByRole('heading', { name: 'New campaign' }).waitFor();
  await page.getByLabel('Channel').selectOption({ label: 'Spring sandbox (WhatsApp)' });
  await page.getByRole('group', { name: 'Audience' }).getByLabel(/Spring customers/).check();
  await page.getByLabel('Message').fill(TEXT);
  await page.getByRole('button', { name: 'Create draft' }).click();
  const nameError = page.locator('#c-name-error');
  await nameError.waitFor();
  assert.match(await nameError.innerText(), /fewer than 1 characters|must/);
  assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  errors.length = 0; // the browser logs the refused request (400) as a console error: it is expected here
  await page.getByLabel('Name').fill('Spring sale');

  const preview = page.locator('.preview .bubble');
  const contactPicker = page.getByLabel('As this contact of the audience sees it');
  await contactPicker.selectOption({ label: 'Ana Lima — +393331110001' });
  await page.locator('.preview .bubble', { hasText: 'Hi Ana!' }).waitFor();
  assert.equal(await preview.innerText(), 'Hi Ana! Spring sale: https://shop.example.com/spring');
  await contactPicker.selectOption({ label: '+393331110003' });
  await page.locator('.preview .bubble', { hasText: 'Hi there!' }).waitFor();
  assert.equal(await preview.innerText(), 'Hi there! Spring sale: https://shop.example.com/spring');
  await page.getByLabel('Message').fill('Hi {{ contact.name | shout }}');
  await page.locator('.preview .field-error', { hasText: 'Does not render' }).waitFor();
  await page.getByLabel('Message').fill(TEXT);
  await contactPicker.selectOption({ label: 'Bruno Costa — +393331110002' });
  await page.locator('.preview .bubble', { hasText: 'Hi Bruno!' }).waitFor();
  await assertAccessible(page, 'campaign form');
  await shot(page, 'campaigns-form');

  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.getByRole('heading', { name: 'Spring sale', exact: true }).waitFor();
  const uuid = page.url().split('/').pop()!;
  const draft = (await beckon.call('GET', `/v1/campaigns/${uuid}`)).json().campaign;
  assert.deepEqual([draft.status, draft.name, draft.channel_uuid, draft.content, draft.settings.track_links],
    ['draft', 'Spring sale', channel.json().channel.uuid, { text: TEXT }, true]);
  await page.locator('.badge[data-status="draft"]').waitFor();
  await page.getByText('The statistics appear here when the campaign starts sending.').waitFor();

  // edit it (PATCH), then schedule it in the user's time zone and take it back to draft
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('heading', { name: 'Edit “Spring sale”' }).waitFor();
  assert.equal(await page.getByLabel('Message').inputValue(), TEXT);
  await page.getByLabel('Name').fill('Spring sale 2030');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Spring sale 2030' }).waitFor();
  const zone = await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone') as string;
  await page.getByLabel(`Send at (your time zone: ${zone})`).fill('2030-01-15T09:00');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.locator('.badge[data-status="scheduled"]').waitFor();
  const scheduled = (await beckon.call('GET', `/v1/campaigns/${uuid}`)).json().campaign;
  assert.deepEqual([scheduled.name, scheduled.time_zone, scheduled.content], ['Spring sale 2030', zone, { text: TEXT }]);
  const wallTime = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(scheduled.send_at));
  assert.equal(wallTime, '2030-01-15 09:00', `send_at ${scheduled.send_at} is 09:00 in ${zone}`);
  await page.getByRole('button', { name: 'Unschedule' }).click();
  await page.locator('.badge[data-status="draft"]').waitFor();

  // a test send to a contact found by name
  await page.getByLabel('Find a contact').fill('Ana');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: 'Add Ana Lima — +393331110001' }).click();
  await page.getByRole('button', { name: 'Send test (1)' }).click();
  await page.getByText('Sent to Ana Lima — +393331110001.').waitFor();
  await assertAccessible(page, 'campaign page (draft)');
  await shot(page, 'campaigns-draft');

  // send now (asked twice), then the statistics move live until every message is delivered
  await page.getByRole('button', { name: 'Send now' }).click();
  await page.getByRole('button', { name: 'Yes: Send now' }).click();
  const figure = (name: string) => page.locator(`[data-funnel="${name}"] .bar-value strong`);
  await page.locator(`[data-funnel="delivered"] .bar-value strong`, { hasText: /^3$/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(await Promise.all(['targeted', 'sent', 'delivered', 'failed', 'skipped'].map((n) => figure(n).innerText())), ['4', '3', '3', '0', '1']);
  assert.equal(await page.locator('[data-reason="optin_required"]').innerText(), 'no opt-in: 1');
  await page.locator('[data-funnel="read"] .bar-value strong', { hasText: /^3$/ }).waitFor({ timeout: 60_000 });
  await page.locator('.badge[data-status="completed"]').waitFor();
  assert.equal(await page.locator('.chart canvas').count() > 0, true, 'the timeline is drawn');

  // a recipient clicks the tracked link: the link table shows it live
  const messages = (await beckon.call('GET', `/v1/contacts/${bruno}/messages`)).json().messages as { content: { text: string }; campaign_uuid?: string }[];
  const sent = messages.find((m) => m.campaign_uuid === uuid)!;
  const token = /https:\/\/beckon\.example\.com(\/c\/[A-Za-z0-9_-]+)/.exec(sent.content.text)![1];
  const click = await beckon.runtime.app.inject({ method: 'GET', url: token, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' } });
  assert.equal(click.statusCode, 302, click.body);
  const linkRow = page.locator('.links tbody tr');
  await linkRow.filter({ hasText: 'https://shop.example.com/spring' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await linkRow.locator('td').allInnerTexts(), ['https://shop.example.com/spring', '1', '1']);
  await page.locator('[data-funnel="clicked"] .bar-value strong', { hasText: /^1$/ }).waitFor();
  await assertAccessible(page, 'campaign statistics');
  await shot(page, 'campaigns-stats');

  // the list: the campaign with its figures at a glance
  await page.getByRole('link', { name: '← All campaigns' }).click();
  const row = page.locator(`tr[data-campaign="${uuid}"]`);
  await row.locator('[data-stat="clicked"]', { hasText: /^1$/ }).waitFor();
  assert.deepEqual(await Promise.all(['sent', 'delivered', 'opened', 'clicked'].map((s) => row.locator(`[data-stat="${s}"]`).innerText())), ['3', '3', '3', '1']);
  assert.equal(await row.locator('.badge').innerText(), 'Completed');
  await assertAccessible(page, 'campaigns list');
  await shot(page, 'campaigns-list');

  // a phone: no horizontal scroll on the list, the statistics and the form
  await page.setViewportSize({ width: 375, height: 740 });
  for (const [path, name] of [['/campaigns', 'list'], [`/campaigns/${uuid}`, 'stats'], ['/campaigns/new', 'form']] as const) {
    await page.goto(base + path);
    await page.locator('main h1').waitFor();
    if (name === 'stats') await page.locator('[data-funnel="delivered"] .bar-value strong', { hasText: /^3$/ }).waitFor();
    if (name === 'form') await page.locator('.preview .bubble, .preview .empty').first().waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, `${name} scrolls sideways at 375 px`);
    await shot(page, `campaigns-${name}-375`);
  }
  assert.deepEqual(errors, []);

  // an agent reads campaigns but is shown none of the changes the API refuses agents
  const created = await beckon.call('POST', '/v1/users', { body: { email: 'agent@example.com', name: 'Andy Agent', role: 'agent' } });
  assert.equal(created.statusCode, 201, created.body);
  const agent = await (await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } })).newPage();
  const agentErrors = watchErrors(agent);
  await agent.goto(base + new URL(created.json().invitation.url).pathname);
  await agent.locator('input[type="password"]').waitFor();
  agentErrors.length = 0; // a fresh browser's GET /v1/auth/me answers 401 (no session yet): expected
  await agent.locator('input[type="password"]').fill('agent password 1');
  await agent.locator('form button[type="submit"]').click();
  await agent.locator('header .user', { hasText: 'Andy Agent' }).waitFor();
  await agent.goto(`${base}/campaigns/${uuid}`);
  await agent.getByRole('heading', { name: 'Entonnoir de livraison' }).waitFor();
  assert.equal(await agent.locator('[data-funnel="delivered"] .bar-value strong').innerText(), '3');
  assert.deepEqual([await agent.getByRole('button', { name: 'Supprimer' }).count(), await agent.getByRole('heading', { name: 'Envoi de test' }).count()], [0, 0]);
  await agent.goto(`${base}/campaigns`);
  await agent.locator(`tr[data-campaign="${uuid}"]`).waitFor();
  assert.equal(await agent.getByRole('link', { name: 'Nouvelle campagne' }).count(), 0);
  assert.equal(await agent.locator(`tr[data-campaign="${uuid}"] .badge`).innerText(), 'Terminée');
  await assertAccessible(agent, 'campaigns list (agent, French)');
  await shot(agent, 'campaigns-list-agent-fr');
  assert.deepEqual(agentErrors, []);
});

test('campaign form in chromium: an email campaign previews subject, text and HTML per contact; a template campaign fills the template with rendered values', { skip, timeout: 90_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: EMAIL, BECKON_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  t.after(() => beckon.stop());
  const email = await sandboxChannel(beckon, 'email');
  const template = await beckon.call('POST', '/v1/templates', { body: { name: 'order_shipped', language: 'en', category: 'MARKETING', channel_type: 'whatsapp', body: 'Hi {{1}}, your order {{2}} has shipped' } });
  assert.equal(template.statusCode, 201, template.body);
  const ann = await contact(beckon, { name: 'Ann Smith', phone: '+39 333 000 0001', email: 'ann@example.com', consent: optedIn('whatsapp', 'email'), custom_fields: { order: '#42' } });
  const buyers = await staticSegment(beckon, 'Buyers', [ann]);

  const { page, errors } = await openApp(t, beckon, { email: EMAIL, password: PASSWORD }, { path: '/campaigns/new' });
  errors.length = 0; // before signing in, GET /v1/auth/me answered 401 (no session yet): expected
  await page.getByRole('heading', { name: 'New campaign' }).waitFor();
  await page.getByLabel('Name').fill('Order news');
  await page.getByLabel('Channel').selectOption({ label: 'Sandbox email (Email)' });
  await page.getByRole('group', { name: 'Audience' }).getByLabel(/Buyers/).check();
  await page.getByLabel('Subject').fill('Your order {{ contact.custom_fields.order }}');
  await page.getByLabel('Plain-text body').fill('Hi {{ contact.first_name }}');
  await page.getByLabel('HTML body').fill('<p>Hello <b>{{ contact.name }}</b></p>');
  const parts = page.locator('.preview .part');
  await parts.filter({ hasText: 'Your order #42' }).waitFor();
  assert.deepEqual(await parts.locator('.bubble').allInnerTexts(), ['Your order #42', 'Hi Ann']);
  assert.equal(await page.frameLocator('.preview iframe').locator('b').innerText(), 'Ann Smith');
  assert.equal(await page.getByLabel('Track email opens').isChecked(), true);
  await assertAccessible(page, 'email campaign form');
  await shot(page, 'campaigns-form-email');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.getByRole('heading', { name: 'Order news' }).waitFor();
  const mail = (await beckon.call('GET', `/v1/campaigns/${page.url().split('/').pop()}`)).json().campaign;
  assert.deepEqual([mail.channel_uuid, mail.segment_uuids, mail.subject, mail.content, mail.settings, mail.template_uuid],
    [email, [buyers], 'Your order {{ contact.custom_fields.order }}', { text: 'Hi {{ contact.first_name }}', html: '<p>Hello <b>{{ contact.name }}</b></p>' }, { track_links: true, track_opens: true }, null]);

  // a WhatsApp template campaign: each value is Liquid, the preview fills the template with them
  await page.getByRole('link', { name: '← All campaigns' }).click();
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.getByLabel('Name').fill('Shipping');
  await page.getByLabel('Channel').selectOption({ label: 'Sandbox WhatsApp (WhatsApp)' });
  await page.getByRole('group', { name: 'Audience' }).getByLabel(/Buyers/).check();
  await page.getByLabel('Template with values').check();
  await page.getByLabel('Template', { exact: true }).selectOption({ label: 'order_shipped (en, approved)' });
  await page.getByLabel('Value of {{1}}').fill('{{ contact.first_name }}');
  await page.getByLabel('Value of {{2}}').fill('{{ contact.custom_fields.order }}');
  await page.locator('.preview .bubble', { hasText: 'Hi Ann, your order #42 has shipped' }).waitFor();
  await assertAccessible(page, 'template campaign form');
  await shot(page, 'campaigns-form-template');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.getByRole('heading', { name: 'Shipping' }).waitFor();
  const shipping = (await beckon.call('GET', `/v1/campaigns/${page.url().split('/').pop()}`)).json().campaign;
  assert.deepEqual([shipping.template_uuid, shipping.template_values, shipping.content, shipping.subject],
    [template.json().template.uuid, ['{{ contact.first_name }}', '{{ contact.custom_fields.order }}'], null, null]);
  assert.deepEqual(errors, []);
});
