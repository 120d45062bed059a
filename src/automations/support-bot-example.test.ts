import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { waitFor, startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { createTeam, createUser, expectCall, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';
import { inboundValue, webhookEnvelope } from '../../test/fakes/whatsapp-cloud.ts';
import { startWhatsApp } from '../providers/whatsapp-cloud/test-support.ts';
import { activate, outcomes } from './waits-test-support.ts';

const GREETING = 'Hi there, welcome to Beckon Coffee!';
const CLOSED = 'Our team is away right now: we answer Monday to Friday, 9:00–18:00 (Rome time). Pick a topic and someone will answer as soon as we open.';
const BUTTONS = [{ id: 'sales', title: 'Sales' }, { id: 'support', title: 'Support' }, { id: 'orders', title: 'Order status' }];

/** docs/examples/automations/support-bot.json with its placeholders replaced and its business hours made open (around now) or closed (another weekday). */
function supportBot(placeholders: Record<string, string>, open: boolean): Record<string, any> {
  let text = readFileSync(new URL('../../docs/examples/automations/support-bot.json', import.meta.url), 'utf8');
  for (const [key, value] of Object.entries(placeholders)) text = text.replaceAll(`$${key}`, value);
  const body = JSON.parse(text);
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const today = ((new Date().getUTCDay() + 6) % 7) + 1;
  body.steps.hours.conditions[0].time = open
    ? { between: [hhmm(Date.now() - 3_600_000), hhmm(Date.now() + 3_600_000)], days: [1, 2, 3, 4, 5, 6, 7], time_zone: 'UTC' }
    : { between: ['00:00', '23:59'], days: [(today % 7) + 1], time_zone: 'UTC' };
  return body;
}

/** Three teams; Support auto-assigns among its one member. */
async function teams(beckon: TestBeckon): Promise<{ sales: string; support: string; orders: string; agent: string }> {
  const agent = await createUser(beckon, 'Sam');
  return {
    sales: await createTeam(beckon, 'Sales', []), support: await createTeam(beckon, 'Support', [agent.uuid], { autoAssign: true }), orders: await createTeam(beckon, 'Orders', []), agent: agent.uuid,
  };
}

async function conversation(beckon: TestBeckon, phone: string, botStatus: string): Promise<Record<string, any>> {
  return waitFor(`${phone}'s conversation at ${botStatus}`, async () => {
    const c = (await expectCall(beckon, 'GET', `/v1/conversations?limit=100`, 200)).conversations.find((x: any) => x.contact.phone === phone);
    return c?.bot_status === botStatus ? c : undefined;
  });
}

test('support-bot.json through the sandbox: greets, says when someone will answer outside business hours, asks (numbered menu), "2" hands off to Support', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const team = await teams(beckon);
  const bot = await activate(beckon, supportBot({ WHATSAPP_CHANNEL_UUID: channel, SALES_TEAM_UUID: team.sales, SUPPORT_TEAM_UUID: team.support, ORDERS_TEAM_UUID: team.orders }, false));
  await writeIn(beckon, channel, '+393330000901', 'Hello, I need help');
  const pending = await conversation(beckon, '+393330000901', 'bot_start');
  assert.equal(pending.status, 'pending');
  const texts = async () => (await beckon.runtime.deps.db.selectFrom('messages').select('content').where('direction', '=', 'outbound').orderBy('created_at').orderBy('id').execute()).map((m) => JSON.parse(m.content).text);
  await waitFor('the menu', async () => (await texts()).length === 3);
  assert.deepEqual(await texts(), [GREETING, CLOSED, 'How can we help you?\n\n1. Sales\n2. Support\n3. Order status']);

  await writeIn(beckon, channel, '+393330000901', '2');
  const handed = await conversation(beckon, '+393330000901', 'bot_end');
  assert.deepEqual([handed.status, handed.team_uuid, handed.assignee_uuid], ['open', team.support, team.agent]);
  const run = (await beckon.call('GET', `/v1/automations/${bot}/runs`)).json().runs[0];
  const done = (await beckon.call('GET', `/v1/automation_runs/${run.uuid}`)).json().run;
  assert.deepEqual([done.status, outcomes(done).map((o: unknown[]) => o.slice(0, 2))], ['completed', [
    ['greet', 'next'], ['hours', 'default'], ['closed', 'next'], ['menu', 'waiting'], ['menu', 'option_1'], ['to_support', 'next'],
  ]]);
  const thread = await expectCall(beckon, 'GET', `/v1/conversations/${handed.uuid}/messages`, 200);
  assert.deepEqual(thread.items.filter((i: any) => i.type === 'note').map((i: any) => i.note.text), ['Bot: +393330000901 needs support (Support).']);
});

test('support-bot.json through the WhatsApp Cloud fake: within business hours, the menu goes out as reply buttons and a real button_reply webhook hands off to Order status', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const { beckon, fake, channelId } = wa;
  const team = await teams(beckon);
  await activate(beckon, supportBot({ WHATSAPP_CHANNEL_UUID: channelId, SALES_TEAM_UUID: team.sales, SUPPORT_TEAM_UUID: team.support, ORDERS_TEAM_UUID: team.orders }, true));
  assert.equal((await wa.customerWrites('+12025550143', 'hi')).statusCode, 200);
  await waitFor('greeting and menu', async () => fake.sends.length === 2);
  const bodies = fake.sends.map((s) => s.body as Record<string, any>);
  assert.deepEqual(bodies.map((b) => [b.type, b.text?.body ?? null]), /* the profile name Meta sends became the contact's name */ [['text', 'Hi Sheena Nelson, welcome to Beckon Coffee!'], ['interactive', null]]);
  assert.deepEqual(bodies[1].interactive, {
    type: 'button', body: { text: 'How can we help you?' }, action: { buttons: BUTTONS.map((b) => ({ type: 'reply', reply: b })) },
  });
  await conversation(beckon, '+12025550143', 'bot_start');
  const press = webhookEnvelope(inboundValue('12025550143', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'orders', title: 'Order status' } } }), wa.phoneNumberId);
  assert.equal((await wa.hook(press)).statusCode, 200);
  const handed = await conversation(beckon, '+12025550143', 'bot_end');
  assert.deepEqual([handed.status, handed.team_uuid, handed.assignee_uuid], ['open', team.orders, null]);
  const inbound = (await expectCall(beckon, 'GET', `/v1/messages?direction=inbound&limit=1`, 200)).messages[0];
  assert.deepEqual([inbound.type, inbound.content], ['interactive', { text: 'Order status', reply: { type: 'button_reply', id: 'orders', title: 'Order status' } }]);
});
