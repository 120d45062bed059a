import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBeckon } from '../../test/helpers.ts';
import { sandboxChannel, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { EXAMPLES_DIR, listAutomationExamples } from './example-list.ts';

const file = (id: string) => JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.json`), 'utf8'));
const channel = (type: string | null) => ({ kind: 'channel', channel_type: type });

/** Replaces every string value equal to a token of `values` (as the web app does). */
function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return values[value] ?? value;
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  return value;
}

test('GET /v1/automations/examples: every example of docs/examples/automations with its placeholders; filled in, each one creates', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const res = await beckon.call('GET', '/v1/automations/examples');
  assert.equal(res.statusCode, 200, res.body);
  const examples = res.json().examples as { id: string; name: string; trigger_type: string; placeholders: Record<string, unknown>[]; definition: Record<string, unknown> }[];
  assert.deepEqual(examples.map((e) => [e.id, e.name, e.trigger_type, e.placeholders]), [
    ['abandoned-cart', 'Abandoned cart', 'api', [{ token: '$WHATSAPP_CHANNEL_UUID', ...channel('whatsapp') }, { token: '$EMAIL_CHANNEL_UUID', ...channel('email') }]],
    ['appointment-reminder', 'Appointment reminder', 'event', [{ token: 'CHANNEL_UUID', ...channel(null) }]],
    ['keyword-reply', 'Opening hours (keyword reply)', 'inbound_message', [{ token: '$WHATSAPP_CHANNEL_UUID', ...channel('whatsapp') }]],
    ['order-confirmation', 'Order confirmation', 'event', [{ token: '$WHATSAPP_CHANNEL_UUID', ...channel('whatsapp') }]],
    ['support-bot', 'Support bot (greet, business hours, menu, hand off to a team)', 'inbound_message', [
      { token: '$WHATSAPP_CHANNEL_UUID', ...channel('whatsapp') },
      { token: '$SALES_TEAM_UUID', kind: 'team', channel_type: null },
      { token: '$SUPPORT_TEAM_UUID', kind: 'team', channel_type: null },
      { token: '$ORDERS_TEAM_UUID', kind: 'team', channel_type: null },
    ]],
  ]);
  for (const example of examples) assert.deepEqual(example.definition, file(example.id), `${example.id}: the file's definition as written`);

  // filled with the workspace's channels and teams, each example is a valid definition (templates created first)
  const whatsapp = await whatsappChannel(beckon);
  const email = await sandboxChannel(beckon, 'email');
  const team = async (name: string) => {
    const created = await beckon.call('POST', '/v1/teams', { body: { name } });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().team.uuid as string;
  };
  for (const name of ['cart_reminder', 'order_confirmed']) {
    const body = { name, language: 'en', category: 'UTILITY', channel_type: 'whatsapp', body: 'Hi {{1}}, {{2}}: {{3}}' };
    assert.equal((await beckon.call('POST', '/v1/templates', { body })).statusCode, 201);
  }
  const values: Record<string, string> = {
    $WHATSAPP_CHANNEL_UUID: whatsapp, $EMAIL_CHANNEL_UUID: email, CHANNEL_UUID: whatsapp,
    $SALES_TEAM_UUID: await team('Sales'), $SUPPORT_TEAM_UUID: await team('Support'), $ORDERS_TEAM_UUID: await team('Orders'),
  };
  for (const example of examples) {
    const created = await beckon.call('POST', '/v1/automations', { body: fill(example.definition, values) });
    assert.equal(created.statusCode, 201, `${example.id}: ${created.body}`);
    assert.equal(created.json().automation.name, example.name);
  }

  // unfilled, the API names the placeholder's path
  const raw = await beckon.call('POST', '/v1/automations', { body: examples[2].definition });
  assert.equal(raw.statusCode, 400);
  assert.deepEqual(raw.json().errors.map((e: { path: string }) => e.path), ['body.trigger.channel_uuid', 'body.steps.reply.channel_uuid']);

  // a read key is enough; no key is a 401
  const read = await beckon.call('POST', '/v1/api_keys', { body: { name: 'reader', scopes: ['read'] } });
  assert.equal(read.statusCode, 201, read.body);
  assert.equal((await beckon.call('GET', '/v1/automations/examples', { key: read.json().api_key.key })).statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/automations/examples', { key: null })).statusCode, 401);
});

test('listAutomationExamples: a missing folder lists none; a file that is not a JSON object is left out', async () => {
  assert.deepEqual(await listAutomationExamples('/nonexistent/beckon-examples'), []);
  const dir = mkdtempSync(join(tmpdir(), 'beckon-examples-'));
  try {
    writeFileSync(join(dir, 'b-broken.json'), '{"name": ');
    writeFileSync(join(dir, 'c-list.json'), '[1, 2]');
    writeFileSync(join(dir, 'notes.txt'), 'not an example');
    writeFileSync(join(dir, 'a-welcome.json'), JSON.stringify({ trigger: { type: 'contact_created' }, start: 's', steps: { s: { type: 'send_message', channel_uuid: '$SMS_CHANNEL_UUID', text: 'Hi' } } }));
    assert.deepEqual(await listAutomationExamples(dir), [{
      id: 'a-welcome', name: 'a-welcome.json', trigger_type: 'contact_created', placeholders: [{ token: '$SMS_CHANNEL_UUID', kind: 'channel', channel_type: 'sms' }],
      definition: { trigger: { type: 'contact_created' }, start: 's', steps: { s: { type: 'send_message', channel_uuid: '$SMS_CHANNEL_UUID', text: 'Hi' } } },
    }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
