import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { startRuntime } from '../runtime.ts';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { createCampaign, recipients, step, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { BATCH_SIZE, runCampaignSend } from './sender.ts';

const AUDIENCE = 1100;

async function bulkAudience(beckon: TestBeckon): Promise<string> {
  for (let start = 0; start < AUDIENCE; start += 1000) {
    const contacts = Array.from({ length: Math.min(1000, AUDIENCE - start) }, (_, i) => ({
      name: `Contact ${start + i}`, phone: `+1514555${String(start + i).padStart(4, '0')}`, tags: ['bulk'], consent: { whatsapp: { status: 'opted_in' } },
    }));
    const res = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts, return_records: 'none' } });
    assert.equal(res.statusCode, 200, res.body);
  }
  const segment = await beckon.call('POST', '/v1/segments', { body: { name: 'Bulk', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'bulk' } } });
  assert.equal(segment.statusCode, 201, segment.body);
  return segment.json().segment.uuid;
}

async function pendingJobs(beckon: TestBeckon): Promise<unknown[]> {
  return (await beckon.runtime.deps.queue.jobs('campaign_send')).map((j) => j.payload);
}

async function countStates(beckon: TestBeckon, uuid: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await recipients(beckon, uuid)) out[r.skip_reason ? `${r.state}:${r.skip_reason}` : r.state] = (out[r.skip_reason ? `${r.state}:${r.skip_reason}` : r.state] ?? 0) + 1;
  return out;
}

test('a crash mid-campaign resumes after a restart with no recipient sent twice', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  let restarted: Awaited<ReturnType<typeof startRuntime>> | undefined;
  t.after(async () => {
    await restarted?.stop();
    await beckon.stop();
  });
  const segment = await bulkAudience(beckon);
  const campaign = await createCampaign(beckon, { name: 'Bulk', channel_uuid: await whatsappChannel(beckon), segment_uuids: [segment], content: { text: 'Hi {{ contact.name }}' } });
  const uuid = campaign.uuid as string;
  await step(beckon, uuid, 'send');
  assert.deepEqual(await pendingJobs(beckon), [{ campaign_id: uuid, from_position: 0 }]);

  const first = await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 0 });
  assert.deepEqual(first, { processed: BATCH_SIZE, messaged: BATCH_SIZE, stopped: false, completed: false });
  assert.deepEqual(await countStates(beckon, uuid), { messaged: 500, pending: 600 });
  assert.equal(typeof (await beckon.call('GET', `/v1/campaigns/${uuid}`)).json().campaign.audience_frozen_at, 'string');
  // the job of batch 1 runs again (as after a crash between its commit and the job's completion): it takes the next pending ones
  const again = await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 0 });
  assert.equal(again.processed, 500);
  assert.deepEqual(await countStates(beckon, uuid), { messaged: 1000, pending: 100 });

  await beckon.runtime.stop();
  const config = loadConfig({ BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_LOG_LEVEL: 'silent', ...beckon.storeEnv, BECKON_BOOTSTRAP_KEY: beckon.key });
  restarted = await startRuntime(config, { logger: pino({ level: 'silent' }) });
  const db = restarted.deps.db;
  await waitFor('the campaign to complete after the restart', async () => (await db.selectFrom('campaigns').select('status').where('id', '=', uuid).executeTakeFirst())?.status === 'completed');
  const rows = await db.selectFrom('campaign_recipients').selectAll().where('campaign_id', '=', uuid).execute();
  assert.equal(rows.length, AUDIENCE);
  assert.ok(rows.every((r) => r.state === 'messaged' && r.message_id !== null));
  const messages = await db.selectFrom('messages').select(['id', 'contact_id']).where('campaign_id', '=', uuid).execute();
  assert.equal(messages.length, AUDIENCE);
  assert.equal(new Set(messages.map((m) => m.contact_id)).size, AUDIENCE, 'each recipient has exactly one message');
  assert.deepEqual(new Set(rows.map((r) => r.message_id)), new Set(messages.map((m) => m.id)));
  const completed = await db.selectFrom('events').select('id').where('type', '=', 'campaign_completed').execute();
  const started = await db.selectFrom('events').select('id').where('type', '=', 'campaign_started').execute();
  assert.deepEqual([started.length, completed.length], [1, 1]);
});

test('pause stops after the current batch, resume continues, cancel skips the rest with reason cancelled', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const segment = await bulkAudience(beckon);
  const campaign = await createCampaign(beckon, { name: 'Bulk', channel_uuid: await whatsappChannel(beckon), segment_uuids: [segment], content: { text: 'Hi' } });
  const uuid = campaign.uuid as string;
  await step(beckon, uuid, 'send');
  await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 0 });
  await step(beckon, uuid, 'pause');
  assert.deepEqual(await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 500 }), { processed: 0, stopped: true, completed: false });
  assert.deepEqual(await countStates(beckon, uuid), { messaged: 500, pending: 600 });

  await step(beckon, uuid, 'resume');
  assert.equal((await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 0 })).processed, 500);
  assert.deepEqual(await countStates(beckon, uuid), { messaged: 1000, pending: 100 });
  const cancelled = await step(beckon, uuid, 'cancel');
  assert.equal(cancelled.status, 'cancelled');
  assert.deepEqual(await countStates(beckon, uuid), { messaged: 1000, 'skipped:cancelled': 100 });
  assert.deepEqual(await runCampaignSend(beckon.runtime.deps, { campaign_id: uuid, from_position: 1000 }), { processed: 0, stopped: true, completed: false });

  const stats = (await beckon.call('GET', `/v1/campaigns/${uuid}/stats`)).json();
  assert.deepEqual([stats.recipients, stats.pending, stats.skipped, stats.sent], [1100, 0, { total: 100, by_reason: { cancelled: 100 } }, 0]);
  const messages = await beckon.runtime.deps.db.selectFrom('messages').select(['contact_id', 'status']).where('campaign_id', '=', uuid).execute();
  assert.equal(messages.length, 1000);
  assert.equal(new Set(messages.map((m) => m.contact_id)).size, 1000);
  assert.equal((await beckon.call('DELETE', `/v1/campaigns/${uuid}`)).statusCode, 200);
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').where('campaign_id', '=', uuid).execute()).length, 1000, 'messages stay');
});
