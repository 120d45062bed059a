import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSqlite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { newId } from '../../src/lib/ids.ts';
import { routeMissing, startBeckon } from '../lib/beckon.ts';
import { clock, timeline, until } from '../lib/load.ts';
import { rssBytes, sampleRss } from '../lib/procs.ts';
import { figure, skipped, type BenchResult, type Figure } from '../lib/report.ts';
import { mb, type BenchContext } from './context.ts';

/** Rows per transaction of the seeding and of the raw baseline (the campaign batch size). */
const BATCH = 500;
/** The channel's rate: the highest a channel may set, so the rate is never what bounds the run. */
const RATE_PER_SECOND = 10_000;
const TEXT = 'Hi {{ contact.first_name | default: "there" }}, our spring sale starts today: 20% off everything until Sunday.';

/** Inserts `total` contacts opted in to SMS into the static segment, straight into the stopped Beckon's store. */
async function seedAudience(dataDir: string, segmentId: string, total: number): Promise<number> {
  const db = connectSqlite(dataDir);
  try {
    const segment = await db.selectFrom('segments').select('workspace_id').where('id', '=', segmentId).executeTakeFirstOrThrow();
    const workspaceId = segment.workspace_id;
    const t0 = performance.now();
    const now = new Date().toISOString();
    const consent = JSON.stringify({ sms: { status: 'opted_in', at: now, source: 'import' } });
    for (let start = 0; start < total; start += BATCH * 20) {
      await db.transaction().execute(async (trx) => {
        for (let b = start; b < Math.min(total, start + BATCH * 20); b += BATCH) {
          const contacts = [];
          for (let i = b; i < Math.min(total, b + BATCH); i++) {
            contacts.push({
              id: newId(), workspace_id: workspaceId, name: i % 4 === 0 ? null : `Contact ${i}`, phone: `+1555${String(i).padStart(7, '0')}`, email: null,
              tags: '[]', custom_fields: '{}', source: 'import', consent, blocked: 0, last_inbound_at: null, created_at: now, updated_at: now,
            });
          }
          await trx.insertInto('contacts').values(contacts).execute();
          await trx.insertInto('segment_contacts').values(contacts.map((c) => ({ segment_id: segmentId, contact_id: c.id, workspace_id: workspaceId, added_at: now }))).execute();
        }
      });
    }
    return (performance.now() - t0) / 1000;
  } finally {
    await db.destroy();
  }
}

/**
 * The raw-SQL baseline: on a fresh store with Beckon's schema, indexes and pragmas (WAL, synchronous=FULL), a bare
 * node:sqlite loop on one thread writes what the campaign writes per message, one transaction per 500 messages:
 * creating (the message row, its message_created event and its send_message job, multi-row inserts), then sending
 * (the jobs claimed by Beckon's claim statement; per message its row read, the sandbox's row, the row moved to `read`
 * with its history and provider id; the three message_status_updated events in one insert; the jobs deleted).
 * Returns messages per second created (`rate`) and created and sent (`fullRate`).
 */
async function rawBaseline(total: number): Promise<{ seconds: number; rate: number; fullSeconds: number; fullRate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-campaign-raw-'));
  try {
    const db = connectSqlite(dir);
    await migrateToLatest(db);
    await db.destroy();
    const { raw } = openSqlite(join(dir, 'beckon.db'));
    const workspaceId = newId();
    const channelId = newId();
    const contactId = newId();
    const now = new Date().toISOString();
    raw.exec('PRAGMA foreign_keys = OFF'); // the baseline writes messages only, without the contacts they point to
    const placeholders = (columns: number, rows: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(',')})`).join(',');
    const insertMessages = raw.prepare(`insert into messages (id, workspace_id, channel_id, contact_id, direction, type, content, status, status_history, created_at, updated_at, channel_type, address, campaign_id) values ${placeholders(14, BATCH)}`);
    const insertEvents = raw.prepare(`insert into events (id, workspace_id, type, payload, created_at) values ${placeholders(5, BATCH)}`);
    const insertJobs = raw.prepare(`insert into jobs (task, payload, run_at, attempts, max_attempts, created_at) values ${placeholders(6, BATCH)}`);
    const t0 = performance.now();
    for (let start = 0; start < total; start += BATCH) {
      const messages: unknown[] = [];
      const events: unknown[] = [];
      const jobs: unknown[] = [];
      for (let i = 0; i < BATCH; i++) {
        const id = newId();
        const content = JSON.stringify({ text: TEXT.replace('{{ contact.first_name | default: "there" }}', `Contact ${start + i}`) });
        messages.push(id, workspaceId, channelId, contactId, 'outbound', 'text', content, 'enqueued', JSON.stringify([{ status: 'enqueued', at: now }]), now, now, 'sms', '+15550000000', workspaceId);
        events.push(newId(), workspaceId, 'message_created', JSON.stringify({ uuid: id, content: JSON.parse(content), status: 'enqueued' }), now);
        jobs.push('send_message', JSON.stringify({ message_id: id }), now, 0, 10, now);
      }
      raw.exec('BEGIN IMMEDIATE');
      insertMessages.run(...(messages as string[]));
      insertEvents.run(...(events as string[]));
      insertJobs.run(...(jobs as string[]));
      raw.exec('COMMIT');
    }
    const seconds = (performance.now() - t0) / 1000;
    const claim = raw.prepare(`update jobs set locked_until = ?, attempts = attempts + 1 where id in (
      select id from jobs where lane = 'default' and failed_at is null and run_at <= ? and (locked_until is null or locked_until < ?)
      order by run_at, id limit ${BATCH}) returning id, payload`);
    const readMessage = raw.prepare('select * from messages where id = ?');
    const insertSandbox = raw.prepare('insert into sandbox_sends (idempotency_key, provider_message_id, recipient, calls, accepted_at, created_at) values (?, ?, ?, 1, ?, ?)');
    const moveMessage = raw.prepare('update messages set status = ?, status_history = ?, provider_message_id = ?, updated_at = ? where id = ? and status = ?');
    const insertStatusEvents = raw.prepare(`insert into events (id, workspace_id, type, payload, created_at) values ${placeholders(5, 3)}`);
    const deleteJobs = raw.prepare(`delete from jobs where id in (${Array(BATCH).fill('?').join(',')})`);
    const deleteJob = raw.prepare('delete from jobs where id = ?');
    let sent = 0;
    for (;;) {
      const at = new Date().toISOString();
      raw.exec('BEGIN IMMEDIATE');
      const jobs = claim.all(new Date(Date.now() + 60_000).toISOString(), at, at) as { id: number; payload: string }[];
      for (const job of jobs) {
        const message = readMessage.get(JSON.parse(job.payload).message_id) as { id: string; workspace_id: string; status_history: string; address: string; content: string };
        const providerId = newId();
        insertSandbox.run(message.id, providerId, message.address, at, at);
        const history = JSON.parse(message.status_history) as { status: string; at: string }[];
        const events: string[] = [];
        for (const status of ['sent', 'delivered', 'read']) {
          history.push({ status, at });
          events.push(newId(), message.workspace_id, 'message_status_updated', JSON.stringify({ uuid: message.id, content: JSON.parse(message.content), status, status_history: history }), at);
        }
        moveMessage.run('read', JSON.stringify(history), providerId, at, message.id, 'enqueued');
        insertStatusEvents.run(...events);
      }
      if (jobs.length === BATCH) deleteJobs.run(...jobs.map((j) => j.id));
      else for (const job of jobs) deleteJob.run(job.id);
      raw.exec('COMMIT');
      sent += jobs.length;
      if (jobs.length < BATCH) break;
    }
    const fullSeconds = (performance.now() - t0) / 1000;
    raw.close();
    const messages = Math.ceil(total / BATCH) * BATCH;
    if (sent !== messages) throw new Error(`the raw baseline sent ${sent} of ${messages} messages`);
    return { seconds, rate: messages / seconds, fullSeconds, fullRate: messages / fullSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function statusCounts(reader: ReturnType<typeof openSqlite>['raw'], campaignId: string): Record<string, number> {
  const rows = reader.prepare('select status, count(*) as n from messages where campaign_id = ? group by status').all(campaignId) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * campaign: `--messages` contacts (full 100,000, quick 1,000) opted in to SMS in a static segment, seeded with SQL into the store
 * of a stopped Beckon; then a campaign on a sandbox SMS channel (zero delays, rate_per_second 10,000) is created and
 * sent through the API. Measures /send → campaign `completed` (audience frozen, every message created), /send →
 * every message delivered (msg/s) and → every message read (final), and the peak RSS of Beckon; the baseline is a bare
 * node:sqlite loop writing the same message, event and job rows 500 per transaction with the same pragmas.
 */
export async function campaign(ctx: BenchContext): Promise<BenchResult> {
  const { opts } = ctx;
  const total = opts.mode === 'quick' ? Math.min(opts.messages, 1_000) : opts.messages;
  const setup = await startBeckon();
  let channelId: string;
  let segmentId: string;
  try {
    if (await routeMissing(setup, 'POST', '/v1/campaigns')) return skipped('route missing: POST /v1/campaigns');
    const channel = await setup.call('POST', '/v1/channels', { type: 'sms', provider: 'sandbox', title: 'Bench SMS', config: { rate_per_second: RATE_PER_SECOND } });
    if (channel.status >= 300) throw new Error(`POST /v1/channels answered ${channel.status}: ${JSON.stringify(channel.body)}`);
    const segment = await setup.call('POST', '/v1/segments', { name: 'Bench audience', type: 'static' });
    if (segment.status >= 300) throw new Error(`POST /v1/segments answered ${segment.status}: ${JSON.stringify(segment.body)}`);
    channelId = channel.body.channel.uuid;
    segmentId = segment.body.segment.uuid;
  } finally {
    await setup.stop();
  }
  ctx.log(`campaign: seeding ${total} opted-in contacts into a static segment`);
  const seedSeconds = await seedAudience(setup.dataDir, segmentId, total);
  const beckon = await startBeckon({ dataDir: setup.dataDir, profileDir: ctx.profileDir('campaign') });
  const reader = openSqlite(join(setup.dataDir, 'beckon.db'), { readOnly: true }).raw;
  try {
    const created = await beckon.call('POST', '/v1/campaigns', { name: 'Bench campaign', channel_uuid: channelId, segment_uuids: [segmentId], content: { text: TEXT } });
    if (created.status >= 300) throw new Error(`POST /v1/campaigns answered ${created.status}: ${JSON.stringify(created.body)}`);
    const campaignId: string = created.body.campaign.uuid;
    const deadline = performance.now() + opts.phaseTimeout * 1000;
    const rss = sampleRss(beckon.child.pid, 250);
    let counts: Record<string, number> = {};
    const every = opts.mode === 'quick' ? 1000 : 5000;
    const progress = timeline(every, async () => ({ ...statusCounts(reader, campaignId), rss_mb: mb(rssBytes(beckon.child.pid)) }),
      (p) => opts.mode === 'full' && p.t % 30 < every / 1000 && ctx.log(`campaign: after ${p.t} s ${JSON.stringify(p)}`));
    ctx.log(`campaign: sending to ${total} recipients`);
    const t0 = clock();
    const sent = await beckon.call('POST', `/v1/campaigns/${campaignId}/send`);
    if (sent.status >= 300) throw new Error(`POST /v1/campaigns/:uuid/send answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    let completedAt: number | null = null;
    let deliveredAt: number | null = null;
    let finalAt: number | null = null;
    let campaignStatus = 'sending';
    const complete = await until(async () => {
      beckon.assertAlive();
      if (completedAt === null) {
        const row = reader.prepare('select status from campaigns where id = ?').get(campaignId) as { status: string };
        campaignStatus = row.status;
        if (campaignStatus === 'completed') completedAt = clock();
        else if (campaignStatus !== 'sending') return true;
      }
      counts = statusCounts(reader, campaignId);
      const delivered = (counts.delivered ?? 0) + (counts.read ?? 0);
      if (deliveredAt === null && completedAt !== null && delivered + (counts.failed ?? 0) >= total) deliveredAt = clock();
      if (finalAt === null && completedAt !== null && (counts.read ?? 0) + (counts.failed ?? 0) >= total) finalAt = clock();
      return finalAt !== null;
    }, deadline, 100);
    const points = await progress.stop();
    const peakRss = rss.stop();
    const stats = await beckon.call('GET', `/v1/campaigns/${campaignId}/stats`);
    await beckon.stop();
    reader.close();
    ctx.log('campaign: raw node:sqlite baseline');
    const raw = await rawBaseline(total);
    const seconds = (at: number | null) => (at === null ? null : (at - t0) / 1000);
    const deliveredSeconds = seconds(deliveredAt);
    const delivered = (counts.delivered ?? 0) + (counts.read ?? 0);
    const createSeconds = seconds(completedAt);
    const figures: Figure[] = [
      figure('campaign_created_rps', `/send → campaign completed (${total} messages created)`, 'msg/s', createSeconds ? total / createSeconds : null,
        { label: 'bare node:sqlite, same rows, 500 per transaction', value: raw.rate }),
      figure('campaign_e2e_rps', `/send → every message delivered (${total} recipients)`, 'msg/s', deliveredSeconds ? delivered / deliveredSeconds : null,
        { label: 'bare node:sqlite on one thread, every row created and sent, 500 per transaction', value: raw.fullRate }, [{ on: 'value', op: '>=', value: 5000 }]),
      figure('campaign_completed_s', '/send → campaign completed', 's', createSeconds, { label: 'bare node:sqlite writing the same rows', value: raw.seconds }),
      figure('campaign_final_s', '/send → every message read (final status)', 's', seconds(finalAt), null),
      figure('campaign_peak_rss_mb', 'peak RSS during the campaign', 'MB', mb(peakRss), null, [{ on: 'value', op: '<', value: 300 }]),
    ];
    const status = complete && finalAt !== null ? 'ok' : 'incomplete';
    return {
      status,
      ...(status === 'ok' ? {} : { reason: `campaign ${campaignStatus}, messages ${JSON.stringify(counts)} of ${total} within the ${opts.phaseTimeout} s cap` }),
      figures,
      details: {
        recipients: total, seed_seconds: seedSeconds, rate_per_second: RATE_PER_SECOND, counts, stats: stats.body,
        completed_seconds: createSeconds, delivered_seconds: deliveredSeconds, final_seconds: seconds(finalAt), raw_baseline: raw, timeline: points,
        notes: [
          `${total} contacts opted in to SMS, seeded with SQL into a static segment before Beckon started (${seedSeconds.toFixed(1)} s); a sandbox SMS channel at zero delays with rate_per_second ${RATE_PER_SECOND} (the highest allowed; the sandbox is unthrottled without it) so the rate is not the bound; no webhook endpoint is subscribed.`,
          'Each message is a send_message job, whose transaction records sent, delivered and read at once (the sandbox reports them with its answer at zero delays): three status changes and four events per message. Progress is read from the store by the bench (a read-only connection), not through the API.',
          'The baselines write the same rows with hand-written SQL on one thread, 500 messages per transaction: created (message, message_created event, send_message job) for the creation figure; created and sent (claim, the sandbox\'s row, the message moved to read, three status events, the jobs deleted) for the delivered figure. They do no rendering, no rules, no API, no per-message commit.',
        ],
      },
    };
  } finally {
    await beckon.stop();
    try {
      reader.close();
    } catch {
      // already closed
    }
  }
}
