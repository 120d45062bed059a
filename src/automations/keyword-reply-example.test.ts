import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation } from '../../test/automation-fixtures.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../docs/examples/automations/keyword-reply.json');
const HOURS = 'We are open Monday to Friday 9:00–18:00 and Saturday 10:00–16:00. / Nous sommes ouverts du lundi au vendredi de 9 h à 18 h et le samedi de 10 h à 16 h.';

test('docs example 4, keyword-reply.json: "Horaires ?" on the WhatsApp sandbox gets the opening hours back; other text gets nothing', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const body = JSON.parse(readFileSync(EXAMPLE, 'utf8').replaceAll('$WHATSAPP_CHANNEL_UUID', channel));
  const { uuid } = await createAutomation(beckon, body);
  assert.equal((await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {} })).statusCode, 200);

  const write = (from: string, text: string) => beckon.call('POST', '/v1/sandbox/inbound', { body: { channel_uuid: channel, from, text } });
  assert.equal((await write('+393331234567', 'Bonjour, quels sont vos Horaires ?')).statusCode, 200);
  assert.equal((await write('+393331234568', 'Where is my order?')).statusCode, 200);
  assert.equal((await write('+393331234569', 'HOURS')).statusCode, 200);

  const outbound = async () => (await beckon.runtime.deps.db.selectFrom('messages').select(['address', 'content', 'status', 'channel_id']).where('direction', '=', 'outbound')
    .orderBy('address').execute()).map((m) => [m.address, JSON.parse(m.content).text, m.channel_id, m.status]);
  const sent = await waitFor('the two replies sent', async () => {
    const rows = await outbound();
    return rows.length === 2 && rows.every((r) => r[3] !== 'enqueued') ? rows : undefined;
  });
  assert.deepEqual(sent.map((r) => r.slice(0, 3)), [
    ['+393331234567', `Hi there! ${HOURS}`, channel],
    ['+393331234569', `Hi there! ${HOURS}`, channel],
  ]);
  const runs = (await beckon.call('GET', `/v1/automations/${uuid}/runs`)).json().runs;
  assert.deepEqual(runs.map((r: { status: string }) => r.status), ['completed', 'completed']);
});
