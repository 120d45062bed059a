import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, optedIn, sandboxChannel } from '../../test/campaign-fixtures.ts';
import { activate, messageOf, outcomes, runEnded, startRun, strictWhatsapp, template } from './test-support.ts';

/** An example definition of docs/examples/automations, its placeholders replaced. */
function example(name: string, placeholders: Record<string, string>): Record<string, unknown> {
  let text = readFileSync(new URL(`../../docs/examples/automations/${name}.json`, import.meta.url), 'utf8');
  for (const [key, value] of Object.entries(placeholders)) text = text.replaceAll(`$${key}`, value);
  return JSON.parse(text);
}

/** Every outbound message by contact (in the contacts' creation order; runs of two contacts may send in either order), then in time order: channel type, address, type, content, subject, template uuid and values. */
async function sent(beckon: TestBeckon) {
  const rows = await beckon.runtime.deps.db.selectFrom('messages').selectAll().where('direction', '=', 'outbound').orderBy('contact_id').orderBy('created_at').orderBy('id').execute();
  return rows.map((m) => [m.channel_type, m.address, m.type, JSON.parse(m.content), m.subject, m.template_uuid, m.template_values === null ? null : JSON.parse(m.template_values)]);
}

async function runView(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  return (await beckon.call('GET', `/v1/automation_runs/${uuid}`)).json().run;
}

test('example 1, abandoned cart: wait an hour, exit on order_completed for the cart, WhatsApp template, wait a day, email unless read', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await strictWhatsapp(beckon);
  const email = await sandboxChannel(beckon, 'email');
  const reminder = await template(beckon, { name: 'cart_reminder', body: 'Hi {{1}}, you left {{2}} in your cart. Finish your order: {{3}}' });
  const automation = await activate(beckon, example('abandoned-cart', { WHATSAPP_CHANNEL_UUID: whatsapp, EMAIL_CHANNEL_UUID: email }));
  const ann = await contact(beckon, { name: 'Ann Lee', phone: '+393331234567', email: 'ann@example.com', consent: optedIn('whatsapp') });
  const nora = await contact(beckon, { name: 'Nora', phone: '+12025550103', email: 'nora@example.com', consent: optedIn('whatsapp') });
  const cart = (id: string, total: string) => ({ total, url: `https://shop.example/cart/${id}`, items: [{ name: 'Espresso cups', quantity: 2 }, { name: 'Coffee beans 1 kg', quantity: 1 }] });
  const read = await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'cart-1', data: { cart: cart('cart-1', '54.90 €') } });
  const unread = await startRun(beckon, automation, { contact: { uuid: nora }, correlation_key: 'cart-2', data: { cart: cart('cart-2', '12.00 €') } });
  const ordered = await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'cart-3', data: { cart: cart('cart-3', '8.00 €') } });
  for (const run of [read, unread, ordered]) await waitFor('the hour wait', async () => (await runView(beckon, run)).waiting_until !== null);

  // the shop reports the order of cart 3: only that run exits
  const completed = await beckon.call('POST', '/v1/events', { body: { name: 'order_completed', contact: { uuid: ann }, correlation_key: 'cart-3', data: {} } });
  assert.equal(completed.statusCode, 202, completed.body);
  assert.deepEqual([(await runView(beckon, ordered)).exit_reason, (await runView(beckon, read)).status], ['exit_on:custom.order_completed', 'active']);

  await makeJobsDue(beckon, 'automation_step');
  for (const [run, status] of [[read, 'read'], [unread, 'delivered']]) {
    await waitFor(`the reminder ${status} and the day wait`, async () => {
      const view = await runView(beckon, run);
      return view.waiting_until !== null && view.steps.length === 4 && (await messageOf(beckon, view.steps[2].message_uuid)).status === status;
    });
  }
  await makeJobsDue(beckon, 'automation_step');
  const [annRun, noraRun] = [await runEnded(beckon, read), await runEnded(beckon, unread)];
  const waits = [['wait_an_hour', 'waiting', null], ['wait_an_hour', 'next', null], ['whatsapp', 'next', null], ['wait_a_day', 'waiting', null], ['wait_a_day', 'next', null]];
  assert.deepEqual(outcomes(annRun), [...waits, ['read_it', 'condition_0', null], ['done', 'completed', null]]);
  assert.deepEqual(outcomes(noraRun), [...waits, ['read_it', 'default', null], ['email', 'next', null], ['done', 'completed', null]]);
  assert.deepEqual(outcomes(await runView(beckon, ordered)), [['wait_an_hour', 'waiting', null]]);
  assert.deepEqual(await sent(beckon), [
    ['whatsapp', '+393331234567', 'text', { text: 'Hi Ann, you left 54.90 € in your cart. Finish your order: https://shop.example/cart/cart-1' }, null, reminder, ['Ann', '54.90 €', 'https://shop.example/cart/cart-1']],
    ['whatsapp', '+12025550103', 'text', { text: 'Hi Nora, you left 12.00 € in your cart. Finish your order: https://shop.example/cart/cart-2' }, null, reminder, ['Nora', '12.00 €', 'https://shop.example/cart/cart-2']],
    ['email', 'nora@example.com', 'text', { text: 'Hi Nora,\n\nyou left these in your cart:\n- 2 × Espresso cups\n- 1 × Coffee beans 1 kg\nTotal: 12.00 €\n\nFinish your order: https://shop.example/cart/cart-2' }, 'Nora, your cart is waiting', null, null],
  ]);
});

test('example 2, order confirmation: order_placed sends the order\'s items (a Liquid loop), or the fallback template outside the 24-hour window', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await strictWhatsapp(beckon);
  const confirmed = await template(beckon, { name: 'order_confirmed', body: 'Thanks {{1}}! Order {{2}} ({{3}}) is confirmed.' });
  const automation = await activate(beckon, example('order-confirmation', { WHATSAPP_CHANNEL_UUID: whatsapp }));
  const ann = await contact(beckon, { name: 'Ann Lee', phone: '+393331234567', consent: optedIn('whatsapp') });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000', consent: optedIn('whatsapp') });
  const wrote = await beckon.call('POST', '/v1/sandbox/inbound', { body: { channel_uuid: whatsapp, from: '+393331234567', text: 'Is my order on its way?' } });
  assert.equal(wrote.statusCode, 200, wrote.body);
  const order = (who: string, id: string, total: string) => beckon.call('POST', '/v1/events', {
    body: { name: 'order_placed', contact: { uuid: who }, correlation_key: id, data: { order_id: id, total, items: [{ name: 'Espresso cups', quantity: 2 }, { name: 'Coffee beans 1 kg', quantity: 1 }] } },
  });
  assert.equal((await order(ann, 'A-1001', '54.90 €')).statusCode, 202);
  assert.equal((await order(bob, 'A-1002', '12.00 €')).statusCode, 202);
  const runs = (await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs;
  assert.deepEqual(runs.map((r: Record<string, unknown>) => [r.contact_uuid, r.correlation_key]), [[bob, 'A-1002'], [ann, 'A-1001']]);
  const [bobRun, annRun] = [await runEnded(beckon, runs[0].uuid), await runEnded(beckon, runs[1].uuid)];
  assert.deepEqual(outcomes(annRun), [['confirm', 'next', null], ['tag', 'next', null]]);
  assert.deepEqual(outcomes(bobRun), [['confirm', 'next', 'fallback_template'], ['tag', 'next', null]]);
  assert.deepEqual(await sent(beckon), [
    ['whatsapp', '+393331234567', 'text', { text: 'Thanks Ann! Order A-1001 is confirmed:\n- 2 × Espresso cups\n- 1 × Coffee beans 1 kg\nTotal: 54.90 €' }, null, null, null],
    ['whatsapp', '+393331230000', 'text', { text: 'Thanks Bob! Order A-1002 (12.00 €) is confirmed.' }, null, confirmed, ['Bob', 'A-1002', '12.00 €']],
  ]);
});
