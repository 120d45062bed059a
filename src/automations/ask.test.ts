import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, sandboxChannel, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { inboundValue, webhookEnvelope } from '../../test/fakes/whatsapp-cloud.ts';
import { createTeam, createUser } from '../../test/inbox-fixtures.ts';
import { startWhatsApp } from '../providers/whatsapp-cloud/test-support.ts';
import { activate, expectJobs, outcomes, runOf, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

const BUTTONS = [{ id: 'sales', title: 'Sales', next: 'sales' }, { id: 'support', title: 'Support' }, { id: 'orders', title: 'Order status' }];

/** An api automation whose `ask` step (id `q`) leads to tag steps: sales (its own edge), next → chosen, fallback → lost, timeout → silent. */
function askFlow(ask: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'Ask', trigger: { type: 'api' }, entry: { policy: 'one_at_a_time' }, start: 'q',
    steps: {
      q: { type: 'ask', text: 'Hi {{ contact.name }}, how can we help?', buttons: BUTTONS, timeout: { hours: 1 }, next: 'chosen', fallback: 'lost', timeout_next: 'silent', ...ask },
      sales: { type: 'update_contact', add_tags: ['sales'] }, chosen: { type: 'update_contact', add_tags: ['chosen'] },
      lost: { type: 'update_contact', add_tags: ['lost'] }, silent: { type: 'update_contact', add_tags: ['silent'] },
    },
  };
}

async function inbound(beckon: TestBeckon, channel: string, from: string, text: string): Promise<Record<string, any>> {
  const res = await beckon.call('POST', '/v1/sandbox/inbound', { body: { channel_uuid: channel, from, text } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message;
}

/** The outbound messages to an address: [type, content]. */
async function sentTo(beckon: TestBeckon, address: string): Promise<[string, unknown][]> {
  const rows = await beckon.runtime.deps.db.selectFrom('messages').select(['type', 'content']).where('direction', '=', 'outbound').where('address', '=', address).orderBy('created_at').orderBy('id').execute();
  return rows.map((m) => [m.type, JSON.parse(m.content)]);
}

const MENU = 'Hi Ann, how can we help?\n\n1. Sales\n2. Support\n3. Order status';

test('ask on the WhatsApp sandbox and SMS: a numbered menu; "2" and "support" choose Support (vars and the custom field), "1" follows the option\'s own edge', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const sms = await sandboxChannel(beckon, 'sms');
  assert.equal((await beckon.call('POST', '/v1/custom_fields', { body: { key: 'topic', label: 'Topic', type: 'text' } })).statusCode, 201);
  const viaWhatsapp = await activate(beckon, askFlow({ channel_uuid: whatsapp, save_to_field: 'topic', save_as: 'topic' }));
  const viaSms = await activate(beckon, askFlow({ channel_uuid: sms }));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Ann', phone: '+393331230000' });
  const cy = await contact(beckon, { name: 'Ann', phone: '+393331239999' });

  const r1 = await startRun(beckon, viaWhatsapp, { contact: { uuid: ann } });
  const r2 = await startRun(beckon, viaSms, { contact: { uuid: bob } });
  const r3 = await startRun(beckon, viaSms, { contact: { uuid: cy } });
  for (const r of [r1, r2, r3]) await waitForRun(beckon, r.uuid, (run) => run.waiting_until !== null);
  assert.deepEqual(await sentTo(beckon, '+393331234567'), [['text', { text: MENU }]]);
  assert.deepEqual(await sentTo(beckon, '+393331230000'), [['text', { text: MENU }]]);

  await inbound(beckon, sms, '+393331234567', '2');
  assert.equal((await runOf(beckon, r1.uuid)).current_step, 'q', 'an answer on another channel is no answer');
  const reply = await inbound(beckon, whatsapp, '+393331234567', '2');
  await inbound(beckon, sms, '+393331230000', '  SUPPORT ');
  await inbound(beckon, sms, '+393331239999', '1.');
  const done1 = await waitForRun(beckon, r1.uuid, (run) => run.status === 'completed');
  assert.deepEqual(outcomes(done1), [['q', 'waiting', null], ['q', 'next', null], ['chosen', 'next', null]]);
  assert.deepEqual(done1.variables, { reply: { text: '2', message_uuid: reply.uuid, received_at: reply.created_at }, ask_retries: null, topic: { id: 'support', title: 'Support', text: '2' } });
  assert.deepEqual((await beckon.call('GET', `/v1/contacts/${ann}`)).json().contact.custom_fields, { topic: 'Support' });
  const done2 = await waitForRun(beckon, r2.uuid, (run) => run.status === 'completed');
  assert.deepEqual(done2.variables.answer, { id: 'support', title: 'Support', text: '  SUPPORT ' });
  assert.deepEqual(await tagsOf(beckon, bob), ['chosen']);
  const done3 = await waitForRun(beckon, r3.uuid, (run) => run.status === 'completed');
  assert.deepEqual(outcomes(done3).slice(1), [['q', 'option_0', null], ['sales', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, cy), ['sales']);
});

test('ask: an unrecognised answer is asked again with retry_text up to max_retries, then fallback; no answer within the timeout follows timeout_next', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const sms = await sandboxChannel(beckon, 'sms');
  const automation = await activate(beckon, askFlow({ channel_uuid: sms, max_retries: 2, retry_text: 'Please answer 1, 2 or 3, {{ contact.name }}.' }));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const run = await startRun(beckon, automation, { contact: { uuid: ann } });
  const quiet = await startRun(beckon, automation, { contact: { uuid: bob } });
  await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
  await waitForRun(beckon, quiet.uuid, (r) => r.waiting_until !== null);
  for (const [text, retries] of [['maybe', 1], ['4', 2]] as const) {
    await inbound(beckon, sms, '+393331234567', text);
    await waitForRun(beckon, run.uuid, (r) => r.variables.ask_retries === retries && r.waiting_until !== null);
  }
  await inbound(beckon, sms, '+393331234567', 'what?');
  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [
    ['q', 'waiting', null], ['q', 'waiting', null], ['q', 'waiting', null], ['q', 'fallback', 'unrecognised_answer'], ['lost', 'next', null],
  ]);
  const retry = 'Please answer 1, 2 or 3, Ann.\n\n1. Sales\n2. Support\n3. Order status';
  assert.deepEqual(await sentTo(beckon, '+393331234567'), [['text', { text: MENU }], ['text', { text: retry }], ['text', { text: retry }]]);
  assert.deepEqual(await tagsOf(beckon, ann), ['lost']);

  await makeJobsDue(beckon, 'automation_step');
  const timedOut = await waitForRun(beckon, quiet.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(timedOut), [['q', 'waiting', null], ['q', 'timeout', null], ['silent', 'next', null]]);
  await expectJobs(beckon, 'automation_step', []);
});

test('ask on WhatsApp Cloud: reply buttons and a list go out as interactive messages (exact Graph bodies); a button_reply webhook routes by its option id', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const { beckon, fake, channelId } = wa;
  const buttons = await activate(beckon, askFlow({ channel_uuid: channelId, text: 'How can we help?' }));
  const rows = [{ id: 'latte', title: 'Latte', description: 'With steamed milk' }, { id: 'espresso', title: 'Espresso', next: 'sales' }];
  const list = await activate(beckon, askFlow({ channel_uuid: channelId, text: 'How can we help?', buttons: undefined, list: { button: 'See drinks', rows } }));
  await wa.customerWrites('+12025550143');
  await wa.customerWrites('+12025550144');
  const r1 = await startRun(beckon, buttons, { contact: { phone: '+12025550143' } });
  const r2 = await startRun(beckon, list, { contact: { phone: '+12025550144' } });
  await waitFor('both questions sent', async () => fake.sends.length === 2);
  const bodies = fake.sends.map((s) => s.body as Record<string, any>).sort((a, b) => a.to.localeCompare(b.to));
  const ids = await beckon.runtime.deps.db.selectFrom('messages').select(['id', 'address', 'type', 'content']).where('direction', '=', 'outbound').orderBy('address').execute();
  assert.deepEqual(bodies, [
    {
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '+12025550143', biz_opaque_callback_data: ids[0].id, type: 'interactive',
      interactive: { type: 'button', body: { text: 'How can we help?' }, action: { buttons: [
        { type: 'reply', reply: { id: 'sales', title: 'Sales' } }, { type: 'reply', reply: { id: 'support', title: 'Support' } }, { type: 'reply', reply: { id: 'orders', title: 'Order status' } },
      ] } },
    },
    {
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '+12025550144', biz_opaque_callback_data: ids[1].id, type: 'interactive',
      interactive: { type: 'list', body: { text: 'How can we help?' }, action: { button: 'See drinks', sections: [{ rows: [{ id: 'latte', title: 'Latte', description: 'With steamed milk' }, { id: 'espresso', title: 'Espresso' }] }] } },
    },
  ]);
  const message = (await beckon.call('GET', `/v1/messages/${ids[0].id}`)).json().message;
  assert.deepEqual([message.type, message.content], ['interactive', {
    text: 'How can we help?', interactive: { type: 'button', options: [{ id: 'sales', title: 'Sales' }, { id: 'support', title: 'Support' }, { id: 'orders', title: 'Order status' }] },
  }]);

  await waitForRun(beckon, r1.uuid, (r) => r.waiting_until !== null);
  await waitForRun(beckon, r2.uuid, (r) => r.waiting_until !== null);
  const press = (from: string, interactive: Record<string, unknown>) => wa.hook(webhookEnvelope(inboundValue(from, { type: 'interactive', interactive }), wa.phoneNumberId));
  assert.equal((await press('12025550143', { type: 'button_reply', button_reply: { id: 'sales', title: 'Sales' } })).statusCode, 200);
  assert.equal((await press('12025550144', { type: 'list_reply', list_reply: { id: 'espresso', title: 'Espresso' } })).statusCode, 200);
  const done1 = await waitForRun(beckon, r1.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done1).slice(1), [['q', 'option_0', null], ['sales', 'next', null]]);
  assert.deepEqual([done1.variables.answer, done1.variables.reply.option_id], [{ id: 'sales', title: 'Sales', text: 'Sales' }, 'sales']);
  const done2 = await waitForRun(beckon, r2.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done2).slice(1), [['q', 'option_1', null], ['sales', 'next', null]]);
});

test('ask and handoff definitions: too many buttons, titles too long, duplicate ids, a list too long, unknown field, team and user are 400 with their paths', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const paths = async (body: Record<string, unknown>) => {
    const res = await beckon.call('POST', '/v1/automations', { body });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    return res.json().errors.map((e: { path: string; message: string }) => [e.path, e.message]);
  };
  const four = [...BUTTONS, { id: 'x', title: 'X' }];
  assert.deepEqual(await paths(askFlow({ buttons: four })), [['body.steps.q.buttons', 'must be a list of 1 to 3 buttons']]);
  assert.deepEqual(await paths(askFlow({ buttons: [{ id: 'a', title: 'A title that is far too long', next: 'sales' }, { id: 'a', title: 'B' }] })), [
    ['body.steps.q.buttons.0.title', 'must be a text of 1 to 20 characters'], ['body.steps.q.buttons.1.id', 'is the id of another option'],
  ]);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}`, next: 'sales' }));
  assert.deepEqual(await paths(askFlow({ buttons: undefined, list: { button: 'Open', rows: eleven } })), [['body.steps.q.list.rows', 'must be a list of 1 to 10 rows']]);
  assert.deepEqual(await paths(askFlow({ list: { button: 'Open', rows: eleven } })), [['body.steps.q.buttons', 'give exactly one of buttons and list']]);
  assert.deepEqual(await paths(askFlow({ max_retries: 9, timeout: undefined, save_as: 'reply' })), [
    ['body.steps.q.save_as', 'must be a variable name (letters, digits, _), not reply or ask_retries'], ['body.steps.q.max_retries', 'must be a whole number from 0 to 5'],
    ['body.steps.q.timeout', 'must be an object of days, hours, minutes and/or seconds'],
  ]);
  assert.deepEqual(await paths(askFlow({ channel_uuid: channel, save_to_field: 'nope' })), [['body.steps.q.save_to_field', 'is not a custom field of this workspace']]);
  const handoff = (step: Record<string, unknown>) => ({ name: 'H', trigger: { type: 'api' }, start: 'h', steps: { h: { type: 'handoff', ...step } } });
  const other = '0190a0a0-0000-7000-8000-000000000001';
  assert.deepEqual(await paths(handoff({ team_uuid: other, user_uuid: other })), [['body.steps.h.team_uuid', 'is not a team of this workspace'], ['body.steps.h.user_uuid', 'is not a user of this workspace']]);
  const otherKey = await beckon.newWorkspace('other');
  const stranger = await createUser(beckon, 'Stranger', { workspaceKey: otherKey });
  const theirTeam = await createTeam(beckon, 'Theirs', [stranger.uuid], { workspaceKey: otherKey });
  assert.deepEqual(await paths(handoff({ team_uuid: theirTeam, user_uuid: stranger.uuid })), [['body.steps.h.team_uuid', 'is not a team of this workspace'], ['body.steps.h.user_uuid', 'is not a user of this workspace']], 'another workspace\'s team and user');
  assert.deepEqual(await paths(handoff({ note: 'x' })), [['body.steps.h.team_uuid', 'give team_uuid, user_uuid or both']]);
  assert.deepEqual(await paths(handoff({ team_uuid: 'sales' })), [['body.steps.h.team_uuid', 'must be the uuid of a team']]);
});
