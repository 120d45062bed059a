import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';
import { startBeckon } from '../../test/helpers.ts';
import { ago, campaignMessage, sandboxChannel, tokenPath } from './test-support.ts';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

test('simultaneous first opens of one message (two processes on PostgreSQL, one on SQLite): every open stored, message_opened once', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://beckon.example.com' }, { worker: false });
  t.after(() => beckon.stop());
  await sandboxChannel(beckon, 'email');
  const m = await campaignMessage(beckon, { from: 'email', type: 'text', to: 'ann@example.com', subject: 'Sale', content: { text: 'Sale' } }, { sentAt: ago(60_000) });
  const runtimes: Runtime[] = [beckon.runtime];
  if (beckon.storeEnv.DATABASE_URL) {
    // a second Beckon process on the same PostgreSQL database (and the same secret key, from the data directory)
    const config = loadConfig({ BECKON_LOG_LEVEL: 'silent', BECKON_PUBLIC_URL: 'https://beckon.example.com', ...beckon.storeEnv, BECKON_BOOTSTRAP_KEY: beckon.key });
    const second = await startRuntime(config, { logger: pino({ level: 'silent' }), worker: false });
    t.after(() => second.stop());
    runtimes.push(second);
  }
  const path = tokenPath(beckon, { kind: 'open', messageId: m.messageId });
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    runtimes[i % runtimes.length].app.inject({ method: 'GET', url: path, headers: { 'user-agent': BROWSER } })));
  assert.deepEqual(answers.map((a) => a.statusCode), Array(12).fill(200));

  const { db } = beckon.runtime.deps;
  const opens = await db.selectFrom('engagements').select(['machine']).where('message_id', '=', m.messageId).where('type', '=', 'open').execute();
  assert.deepEqual(opens.map((o) => Number(o.machine)), Array(12).fill(0));
  const events = (await beckon.call('GET', '/v1/events?type=message_opened')).json().events;
  assert.deepEqual(events.map((e: { payload: unknown }) => e.payload), [{ message_uuid: m.messageId, contact_uuid: m.contactId, campaign_uuid: m.campaignId, machine: false }]);
});
