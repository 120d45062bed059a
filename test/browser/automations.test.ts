// The automations pages in a real browser against the real server: create the abandoned-cart example in one click,
// activate it, start a run through the API and watch it move through its steps live (the waits made due), then break
// the definition in the JSON editor and see each error at its path and line; a 375 px phone; an agent sees no
// action the API refuses them. No console error, no serious axe-core violation, a screenshot of each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, TEST_STORE, waitFor, type TestBeckon } from '../helpers.ts';
import { contact, optedIn, sandboxChannel, whatsappChannel } from '../campaign-fixtures.ts';
import { assertAccessible, NO_BROWSER, openApp, shot } from './support.ts';
import type { Page } from 'playwright-core';

const skip = NO_BROWSER || (TEST_STORE === 'postgres' ? 'store-independent pages: the browser tests run in the SQLite pass' : false);
const ADMIN = { email: 'ana@example.com', password: 'correct horse battery' };

/** Fails naming the elements wider than the screen when the page scrolls sideways at 375 px. */
async function fitsPhone(page: Page, what: string): Promise<void> {
  const wide = await page.evaluate(`document.documentElement.scrollWidth <= 375 ? [] : [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > 376 && !el.closest('.flow-scroll, .table-wrap, .code-editor'))
    .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)')`);
  assert.deepEqual(wide, [], `${what}: no horizontal scroll at 375 px`);
}

/** The [step, outcome] rows of the opened run's history, as the page shows them. */
const history = (page: Page) => page.locator('.run-steps tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-outcome')]));

/** Waits until the opened run's history shows exactly `rows`. */
async function historyIs(page: Page, rows: string[][]): Promise<void> {
  let seen: unknown = null;
  try {
    await waitFor(`history ${JSON.stringify(rows)}`, async () => { seen = await history(page); return JSON.stringify(seen) === JSON.stringify(rows); });
  } catch {
    assert.deepEqual(seen, rows);
  }
}

async function runView(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  return (await beckon.call('GET', `/v1/automation_runs/${uuid}`)).json().run;
}

test('automations in chromium: the abandoned-cart example in one click, activated, a run moving live through its steps, the JSON editor\'s errors at their paths, 375 px, an agent', { skip, timeout: 120_000 }, async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BECKON_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const email = await sandboxChannel(beckon, 'email');
  const template = await beckon.call('POST', '/v1/templates', { body: { name: 'cart_reminder', language: 'en', category: 'UTILITY', channel_type: 'whatsapp', body: 'Hi {{1}}, you left {{2}} in your cart. Finish your order: {{3}}' } });
  assert.equal(template.statusCode, 201, template.body);
  await contact(beckon, { name: 'Ann Lee', phone: '+393331234567', email: 'ann@example.com', consent: optedIn('whatsapp') });

  const { page, errors, browser } = await openApp(t, beckon, ADMIN, { path: '/automations' });
  await page.getByRole('heading', { name: 'Automations', level: 1 }).waitFor();
  await page.getByText('No automation yet: start from an example below.').waitFor();
  const card = page.locator('.example', { hasText: 'Abandoned cart' });
  await card.getByRole('button', { name: 'Create from this example' }).waitFor();
  // the placeholders are filled with the workspace's channels of the right type
  assert.equal(await card.getByLabel('WhatsApp channel').inputValue(), whatsapp);
  assert.equal(await card.getByLabel('Email channel').inputValue(), email);
  await assertAccessible(page, 'automations list (empty) with the examples');
  await shot(page, 'automations-examples');

  // one click: a draft from the example, with the channels in place, drawn top to bottom
  await card.getByRole('button', { name: 'Create from this example' }).click();
  await page.getByRole('heading', { name: 'Abandoned cart', level: 1 }).waitFor();
  const uuid = /^\/automations\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)?.[1];
  assert.ok(uuid, page.url());
  const created = (await beckon.call('GET', `/v1/automations/${uuid}`)).json().automation;
  assert.deepEqual([created.status, created.steps.whatsapp.channel_uuid, created.steps.email.channel_uuid], ['draft', whatsapp, email]);
  await page.locator('.auto-meta .badge[data-status="draft"]').waitFor();
  const boxes = await page.locator('.flow-step').evaluateAll((els) => els.map((el) => [el.getAttribute('data-step'), Math.round(el.getBoundingClientRect().top)]));
  assert.deepEqual(boxes.map(([id]) => id), ['wait_an_hour', 'whatsapp', 'wait_a_day', 'read_it', 'email', 'done']);
  assert.ok(boxes.every(([, top], i) => i === 0 || (top as number) > (boxes[i - 1][1] as number)), `one row per step, top to bottom: ${JSON.stringify(boxes)}`);
  assert.equal(await page.locator('.flow-edges .edge').count(), 7);
  assert.deepEqual(await page.locator('.flow-edges text').allTextContents(), ['condition_0', 'default', 'skipped']);

  await page.getByRole('button', { name: 'Activate' }).click();
  await page.locator('.auto-meta .badge[data-status="active"]').waitFor();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  assert.equal((await beckon.call('GET', `/v1/automations/${uuid}`)).json().automation.status, 'active');

  // the shop calls the API trigger: the run appears live, waiting at its first step
  const started = await beckon.call('POST', `/v1/automations/${uuid}/runs`, {
    body: { contact: { phone: '+393331234567' }, correlation_key: 'cart-42', data: { cart: { total: '54.90 €', url: 'https://shop.example/cart/42', items: [{ name: 'Espresso cups', quantity: 2 }] } } },
  });
  assert.equal(started.statusCode, 202, started.body);
  const run = started.json().run.uuid as string;
  const row = page.locator(`.auto-runs tr[data-run="${run}"]`);
  await row.locator('.badge[data-status="active"]').waitFor();
  await page.locator('[data-stat="started"]', { hasText: '1' }).waitFor();
  await page.locator('.flow-step[data-step="wait_an_hour"] [data-count="waiting"]', { hasText: '1 waiting' }).waitFor();
  await row.getByRole('link').click();
  await page.getByRole('heading', { name: `Run …${run.slice(-8)}` }).waitFor();
  await page.locator('[data-field="contact"]', { hasText: 'Ann Lee' }).waitFor();
  await historyIs(page, [['wait_an_hour', 'waiting']]);
  assert.equal(await page.locator('.flow-step[aria-current="step"]').getAttribute('data-step'), 'wait_an_hour');
  assert.equal(await page.locator('[data-field="current_step"]').innerText(), 'wait_an_hour');
  await assertAccessible(page, 'automation with a waiting run');
  await shot(page, 'automations-run-waiting');

  // an hour passes: the WhatsApp reminder goes out and the run waits a day, live on the page
  await makeJobsDue(beckon, 'automation_step');
  await historyIs(page, [['wait_an_hour', 'waiting'], ['wait_an_hour', 'next'], ['whatsapp', 'next'], ['wait_a_day', 'waiting']]);
  await page.locator('.flow-step[aria-current="step"][data-step="wait_a_day"]').waitFor();
  const reminder = (await runView(beckon, run)).steps[2].message_uuid as string;
  await waitFor('the reminder read', async () => (await beckon.call('GET', `/v1/messages/${reminder}`)).json().message.status === 'read');

  // a day passes: the reminder was read, so the run ends without the email
  await makeJobsDue(beckon, 'automation_step');
  await page.locator('.auto-run .badge[data-status="completed"]').waitFor();
  await historyIs(page, [['wait_an_hour', 'waiting'], ['wait_an_hour', 'next'], ['whatsapp', 'next'], ['wait_a_day', 'waiting'], ['wait_a_day', 'next'], ['read_it', 'condition_0'], ['done', 'completed']]);
  await page.locator('[data-stat="completed"]', { hasText: '1' }).waitFor();
  await page.locator('.flow-step[data-step="done"] [data-count="entered"]', { hasText: '1 entered' }).waitFor();
  assert.equal(await page.locator('.flow-step[data-step="email"] [data-count="entered"]').innerText(), '0 entered');
  assert.deepEqual(await page.locator('.flow-edges text').allTextContents(), ['1', '1', '1', 'condition_0 · 1', 'default', 'skipped']);
  await assertAccessible(page, 'automation with a completed run');
  await shot(page, 'automations-run-completed');

  // the list: name, trigger, status, version and the runs' counts
  await page.getByRole('link', { name: '← Automations' }).click();
  const listed = page.locator(`tr[data-automation="${uuid}"]`);
  await listed.locator('[data-stat="completed"]', { hasText: '1' }).waitFor();
  assert.deepEqual(await listed.locator('td').allInnerTexts(), ['Abandoned cart', 'API call', 'Active', '1', '1', '1', '0']);
  await assertAccessible(page, 'automations list');
  await shot(page, 'automations-list');

  // another example whose branch leads to two steps: they are drawn side by side, under the branch
  await page.locator('.example', { hasText: 'Appointment reminder' }).getByRole('button', { name: 'Create from this example' }).click();
  await page.getByRole('heading', { name: 'Appointment reminder', level: 1 }).waitFor();
  const place = (step: string) => page.locator(`.flow-step[data-step="${step}"]`).evaluate((el) => { const r = el.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top)]; });
  const [route, confirmed, cancelled] = [await place('route'), await place('confirmed'), await place('cancelled')];
  assert.ok(confirmed[1] === cancelled[1] && confirmed[1] > route[1], `side by side under the branch: ${JSON.stringify([route, confirmed, cancelled])}`);
  assert.ok(confirmed[0] < route[0] && cancelled[0] > route[0], `either side of the branch: ${JSON.stringify([route, confirmed, cancelled])}`);
  await assertAccessible(page, 'a drawing with branches');
  await shot(page, 'automations-drawing-branches');
  await page.getByRole('link', { name: '← Automations' }).click();
  await listed.waitFor();

  // an example the API refuses (its fallback template does not exist here) opens in the editor with the API's errors
  await page.locator('.example', { hasText: 'Order confirmation' }).getByRole('button', { name: 'Create from this example' }).click();
  await page.getByRole('heading', { name: 'New automation', level: 1 }).waitFor();
  errors.length = 0; // the browser logs the refused POST (400) as a failed request: expected
  const missing = page.locator('.auto-errors li[data-path="steps.confirm.fallback_template.name"]');
  await missing.waitFor();
  const draft = await page.getByLabel('Definition (JSON)').inputValue();
  const templateLine = draft.split('\n').findIndex((l) => l.includes('"name": "order_confirmed"')) + 1;
  assert.equal(await missing.getByRole('button').innerText(), `line ${templateLine}`);
  assert.ok(draft.includes(`"channel_uuid": "${whatsapp}"`), 'the placeholders are filled in the draft');
  assert.ok((await page.locator('.gutter span.bad').allInnerTexts()).includes(String(templateLine)));
  await page.getByRole('link', { name: '← Automations' }).click();
  await listed.waitFor();

  // the editor: broken JSON says where; an unknown step type is listed at its path and marked on its line
  await listed.getByRole('link', { name: 'Abandoned cart' }).click();
  await page.getByRole('link', { name: 'Edit the JSON' }).click();
  const editor = page.getByLabel('Definition (JSON)');
  await editor.waitFor();
  const good = await editor.inputValue();
  const lines = good.split('\n');
  const typeLine = lines.findIndex((l) => l.includes('"type": "wait"')) + 1;
  await editor.fill(good.replace('"type": "wait"', '"type": "sleep"').replace('"start": "wait_an_hour",', '"start": "wait_an_hour"'));
  await page.getByRole('button', { name: 'Save' }).click();
  const startLine = lines.findIndex((l) => l.includes('"start": "wait_an_hour",')) + 1;
  await page.locator('.auto-errors', { hasText: `This is not valid JSON: expected "," or "}" (line ${startLine + 1}, column 3).` }).waitFor();
  assert.deepEqual(await page.locator('.gutter span.bad').allInnerTexts(), [String(startLine + 1)]);
  await editor.fill(good.replace('"type": "wait"', '"type": "sleep"'));
  await page.getByRole('button', { name: 'Save' }).click();
  const refused = await beckon.call('PATCH', `/v1/automations/${uuid}`, { body: JSON.parse(good.replace('"type": "wait"', '"type": "sleep"')) });
  assert.equal(refused.statusCode, 400);
  const expected = refused.json().errors.map((e: { path: string; message: string }) => `${e.path.replace(/^body\./, '')} ${e.message}`);
  assert.ok(expected.length >= 1 && expected[0].startsWith('steps.wait_an_hour.type '), JSON.stringify(expected));
  const shown = page.locator('.auto-errors li');
  await page.locator('.auto-errors li[data-path="steps.wait_an_hour.type"]').waitFor();
  assert.deepEqual((await shown.allInnerTexts()).map((text) => text.replace(/\s+line \d+$/, '')), expected);
  assert.ok((await page.locator('.gutter span.bad').allInnerTexts()).includes(String(typeLine)), `line ${typeLine} marked`);
  errors.length = 0; // the browser logs the refused PATCH (400) as a failed request: expected
  await page.locator('.auto-errors li[data-path="steps.wait_an_hour.type"]').getByRole('button', { name: `line ${typeLine}` }).click();
  assert.equal(await editor.evaluate((el) => { const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number }; return area.value.slice(area.selectionStart, area.selectionEnd).trim(); }), '"type": "sleep",');
  await assertAccessible(page, 'editor with errors');
  await shot(page, 'automations-editor-errors');

  // fixed, renamed and waiting two hours: an active automation's new definition is a new version
  await editor.fill(good.replace('"name": "Abandoned cart"', '"name": "Abandoned cart (v2)"').replace('"hours": 1', '"hours": 2'));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Abandoned cart (v2)', level: 1 }).waitFor();
  await page.getByText('version 2').waitFor();
  assert.equal(await page.locator('.flow-step[data-step="wait_an_hour"] .flow-summary').innerText(), '2 hr');

  // a 375 px phone: the drawing scrolls inside its frame, nothing wider than the screen
  await page.setViewportSize({ width: 375, height: 740 });
  await page.locator(`.auto-runs tr[data-run="${run}"]`).getByRole('link').click();
  await page.getByRole('heading', { name: `Run …${run.slice(-8)}` }).waitFor();
  await fitsPhone(page, 'automation');
  await assertAccessible(page, 'automation at 375 px');
  await shot(page, 'automations-detail-375');
  await page.getByRole('link', { name: '← Automations' }).click();
  await page.locator(`tr[data-automation="${uuid}"]`).waitFor();
  await fitsPhone(page, 'list');
  await shot(page, 'automations-list-375');
  await page.goto(`${new URL(page.url()).origin}/automations/${uuid}/edit`);
  await editor.waitFor();
  await fitsPhone(page, 'editor');
  await assertAccessible(page, 'editor at 375 px');
  await shot(page, 'automations-editor-375');

  // in French
  await page.getByLabel('Language').first().selectOption('fr');
  await page.getByRole('heading', { name: 'Modifier « Abandoned cart (v2) »' }).waitFor();
  await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Automatisations' }).click();
  await page.getByRole('heading', { name: 'Automatisations', level: 1 }).waitFor();
  await page.locator(`tr[data-automation="${uuid}"] td`, { hasText: 'Appel d’API' }).waitFor();
  await page.getByRole('heading', { name: 'Partir d’un exemple' }).waitFor();
  await fitsPhone(page, 'list in French');
  await assertAccessible(page, 'list in French at 375 px');
  await shot(page, 'automations-list-fr-375');
  assert.deepEqual(errors, [], 'console errors');

  // an agent reads automations and runs but gets none of the actions the API refuses agents
  const agent = await beckon.call('POST', '/v1/users', { body: { email: 'agent@example.com', name: 'Andy Agent', role: 'agent' } });
  assert.equal(agent.statusCode, 201, agent.body);
  const agentPage = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await agentPage.goto(agent.json().invitation.url.replace(/^https?:\/\/[^/]+/, new URL(page.url()).origin));
  await agentPage.getByLabel('Password (10 characters or more)').fill('agent password 1');
  await agentPage.getByRole('button', { name: 'Save and sign in' }).click();
  await agentPage.locator('header .user', { hasText: 'Andy Agent' }).waitFor();
  await agentPage.getByRole('link', { name: 'Automations' }).click();
  await agentPage.locator(`tr[data-automation="${uuid}"]`).getByRole('link').click();
  await agentPage.getByRole('heading', { name: 'Abandoned cart (v2)', level: 1 }).waitFor();
  await agentPage.locator(`.auto-runs tr[data-run="${run}"]`).waitFor();
  assert.equal(await agentPage.getByRole('group', { name: 'Automation actions' }).count(), 0);
  assert.equal(await agentPage.getByRole('link', { name: 'Edit the JSON' }).count(), 0);
  await agentPage.getByRole('link', { name: '← Automations' }).click();
  await agentPage.locator(`tr[data-automation="${uuid}"]`).waitFor();
  assert.equal(await agentPage.getByRole('link', { name: 'New automation' }).count(), 0);
  assert.equal(await agentPage.getByRole('heading', { name: 'Start from an example' }).count(), 0);
});
