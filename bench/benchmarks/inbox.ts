import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { openSqlite } from '../../src/db/sqlite.ts';
import { sha256 } from '../../src/lib/hash.ts';
import { newId } from '../../src/lib/ids.ts';
import { routeMissing, startBeckon, type BeckonServer } from '../lib/beckon.ts';
import { figure, skipped, type BenchResult, type Figure } from '../lib/report.ts';
import type { BenchContext } from './context.ts';

/** Rows per multi-row INSERT of the seeding. */
const BATCH = 500; // a multiple of MESSAGE_CHUNKS; the totals are multiples of it
/** Messages per conversation (100,000 conversations → 1,000,000 messages in a full run). */
const PER_CONVERSATION = 10;
/** Statements per batch's messages (SQLite takes at most 32,766 variables per statement). */
const MESSAGE_CHUNKS = 5;
/** Agents of the workspace; conversation i is assigned to agent i % (AGENTS + 2), the last two meaning unassigned. */
const AGENTS = 10;
/** Requests per measured route (and statements per bare query). */
const REQUESTS = 200;
/** Status of conversation i by i % 20: 5 open, 2 pending, 1 snoozed, 12 resolved. */
const STATUS_RING = ['open', 'open', 'open', 'open', 'open', 'pending', 'pending', 'snoozed', ...Array(12).fill('resolved')] as const;

function insertStatement(raw: DatabaseSync, table: string, columns: string[], rows: number): StatementSync {
  const row = `(${columns.map(() => '?').join(',')})`;
  return raw.prepare(`insert into ${table} (${columns.join(',')}) values ${Array(rows).fill(row).join(',')}`);
}

/** Inserts `total` conversations with their contacts and PER_CONVERSATION messages each, and the agents (the first with a key), straight into the stopped Beckon's store. */
export function seed(file: string, channelId: string, total: number, agentKey: string): { seconds: number; workspaceId: string; agentId: string } {
  const { raw } = openSqlite(file);
  const t0 = performance.now();
  const { workspace_id: workspaceId } = raw.prepare('select workspace_id from channels where id = ?').get(channelId) as { workspace_id: string };
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const agents = Array.from({ length: AGENTS }, () => newId());
  raw.exec('BEGIN IMMEDIATE');
  for (const [i, id] of agents.entries()) {
    raw.prepare('insert into users (id, workspace_id, email, name, role, availability, created_at, updated_at) values (?,?,?,?,?,?,?,?)')
      .run(id, workspaceId, `agent${i}@bench.example`, `Agent ${i}`, 'agent', 'available', iso(now), iso(now));
  }
  raw.prepare('insert into api_keys (id, workspace_id, name, prefix, key_hash, scopes, created_at, user_id) values (?,?,?,?,?,?,?,?)')
    .run(newId(), workspaceId, 'agent 0', agentKey.slice(0, 10), sha256(agentKey), '["full"]', iso(now), agents[0]);
  raw.exec('COMMIT');
  const contactCols = ['id', 'workspace_id', 'name', 'phone', 'email', 'tags', 'custom_fields', 'source', 'consent', 'blocked', 'created_at', 'updated_at'];
  const convCols = ['id', 'workspace_id', 'contact_id', 'channel_id', 'channel_type', 'status', 'assignee_id', 'priority', 'inbound_count', 'waiting_since',
    'resolved_at', 'last_inbound_at', 'last_message_at', 'snoozed_until', 'created_at', 'updated_at'];
  const messageCols = ['id', 'workspace_id', 'channel_id', 'contact_id', 'direction', 'type', 'content', 'status', 'status_history', 'created_at', 'updated_at', 'channel_type', 'address'];
  const statements = new Map<number, StatementSync[]>();
  const statementsFor = (n: number) => {
    if (!statements.has(n)) {
      statements.set(n, [insertStatement(raw, 'contacts', contactCols, n), insertStatement(raw, 'conversations', convCols, n), insertStatement(raw, 'messages', messageCols, (n * PER_CONVERSATION) / MESSAGE_CHUNKS)]);
    }
    return statements.get(n)!;
  };
  const start = now - (total + 1) * 60_000;
  for (let b = 0; b < total; b += BATCH) {
    const n = Math.min(BATCH, total - b);
    const contacts: (string | number | null)[] = [];
    const conversations: (string | number | null)[] = [];
    const messages: (string | number | null)[] = [];
    for (let i = b; i < b + n; i++) {
      const contactId = newId();
      const phone = `+1555${String(i).padStart(7, '0')}`;
      const last = start + i * 60_000;
      const status = STATUS_RING[i % STATUS_RING.length];
      const agent = i % (AGENTS + 2);
      contacts.push(contactId, workspaceId, `Customer ${i}`, phone, `customer${i}@example.com`, '[]', '{}', 'inbound', '{}', 0, iso(start), iso(start));
      conversations.push(newId(), workspaceId, contactId, channelId, 'whatsapp', status, agent < AGENTS ? agents[agent] : null, 'none', PER_CONVERSATION / 2,
        status === 'resolved' ? null : iso(last), status === 'resolved' ? iso(last) : null, iso(last), iso(last), status === 'snoozed' ? iso(now + 86_400_000) : null, iso(start), iso(last));
      for (let j = 0; j < PER_CONVERSATION; j++) {
        const at = iso(last - (PER_CONVERSATION - j) * 1000);
        const inbound = j % 2 === 0;
        messages.push(newId(), workspaceId, channelId, contactId, inbound ? 'inbound' : 'outbound', 'text', `{"text":"message ${j} of conversation ${i}"}`,
          inbound ? 'received' : 'read', `[{"status":"${inbound ? 'received' : 'read'}","at":"${at}"}]`, at, at, 'whatsapp', phone);
      }
    }
    const [c, v, m] = statementsFor(n);
    raw.exec('BEGIN IMMEDIATE');
    c.run(...contacts);
    v.run(...conversations);
    const size = messages.length / MESSAGE_CHUNKS;
    for (let k = 0; k < MESSAGE_CHUNKS; k++) m.run(...messages.slice(k * size, (k + 1) * size));
    raw.exec('COMMIT');
  }
  raw.exec('ANALYZE');
  raw.close();
  return { seconds: (performance.now() - t0) / 1000, workspaceId, agentId: agents[0] };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** p50 and p99 (ms) of REQUESTS sequential runs of `fn`, after 10 warm-up runs. */
async function latencies(fn: () => Promise<void> | void): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function get(beckon: BeckonServer, key: string, path: string): Promise<any> {
  const res = await beckon.api.request({ method: 'GET', path, headers: { authorization: `Bearer ${key}` } });
  const body = await res.body.json() as any;
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${JSON.stringify(body)}`);
  return body;
}

/** The bare queries behind the routes, on a connection of their own to the same store file. */
function bareQueries(raw: DatabaseSync, workspaceId: string, agentId: string) {
  const list = (filter: string) => raw.prepare(`select conversations.*, contacts.name as contact_name, contacts.phone as contact_phone, contacts.email as contact_email,
      conversation_reads.inbound_count as read_count from conversations join contacts on contacts.id = conversations.contact_id
      left join conversation_reads on conversation_reads.conversation_id = conversations.id and conversation_reads.user_id = ?
      where conversations.workspace_id = ? ${filter} order by conversations.last_message_at desc, conversations.id desc limit 21`);
  const mine = list('and conversations.assignee_id = ? and conversations.status = \'open\'');
  const open = list('and conversations.status = \'open\'');
  const buckets = raw.prepare('select status, assignee_id, n from conversation_counts where workspace_id = ?');
  return {
    mine: () => void mine.all(agentId, workspaceId, agentId),
    open: () => void open.all(agentId, workspaceId),
    counts: () => void buckets.all(workspaceId),
  };
}

/**
 * inbox: 100,000 conversations with 1,000,000 messages (quick: 2,000 and 20,000) of one workspace, seeded with
 * multi-row inserts into the store of a stopped Beckon; then, through the API with an agent's key, REQUESTS
 * sequential requests each of the agent's open conversations (assignee=me), all open ones, and the counts: p50/p99
 * next to the same SQL run bare (node:sqlite, prepared) on the same store file.
 */
export async function inbox(ctx: BenchContext): Promise<BenchResult> {
  const total = ctx.opts.mode === 'quick' ? 2_000 : 100_000;
  const setup = await startBeckon();
  let channelId: string;
  try {
    if (await routeMissing(setup, 'GET', '/v1/conversations')) return skipped('route missing: GET /v1/conversations');
    const channels = await setup.call('GET', '/v1/channels');
    channelId = (channels.body.channels as { uuid: string; type: string }[]).find((c) => c.type === 'whatsapp')!.uuid;
  } finally {
    await setup.stop();
  }
  const agentKey = 'bk_bench_agent_' + Math.random().toString(36).slice(2);
  ctx.log(`inbox: seeding ${total} conversations and ${total * PER_CONVERSATION} messages`);
  const file = join(setup.dataDir, 'beckon.db');
  const seeded = seed(file, channelId, total, agentKey);
  ctx.log(`inbox: seeded in ${seeded.seconds.toFixed(1)} s`);
  const beckon = await startBeckon({ dataDir: setup.dataDir, profileDir: ctx.profileDir('inbox') });
  const { raw } = openSqlite(file, { readOnly: true });
  try {
    const counts = (await get(beckon, agentKey, '/v1/conversations/counts')).counts;
    const bare = bareQueries(raw, seeded.workspaceId, seeded.agentId);
    const routes = [
      { id: 'inbox_list_mine', label: 'GET /v1/conversations?assignee=me&status=open (an agent\'s open conversations, 20 per page)', path: '/v1/conversations?assignee=me&status=open', bare: bare.mine },
      { id: 'inbox_list_open', label: 'GET /v1/conversations?status=open (every open conversation, 20 per page)', path: '/v1/conversations?status=open', bare: bare.open },
      { id: 'inbox_counts', label: 'GET /v1/conversations/counts (mine, unassigned, all, by status)', path: '/v1/conversations/counts', bare: bare.counts },
    ];
    const figures: Figure[] = [];
    const measured: Record<string, unknown> = {};
    for (const route of routes) {
      const api = await latencies(async () => void await get(beckon, agentKey, route.path));
      const sqlOnly = await latencies(route.bare);
      measured[route.id] = { api, bare: sqlOnly };
      figures.push(
        figure(`${route.id}_p50_ms`, `${route.label}: p50`, 'ms', api.p50, { label: 'the same SQL, bare node:sqlite', value: sqlOnly.p50 }, [{ on: 'value', op: '<', value: 50 }]),
        figure(`${route.id}_p99_ms`, `${route.label}: p99`, 'ms', api.p99, { label: 'the same SQL, bare node:sqlite', value: sqlOnly.p99 }, [{ on: 'value', op: '<', value: 50 }]),
      );
    }
    return {
      status: 'ok',
      figures,
      details: {
        conversations: total, messages: total * PER_CONVERSATION, agents: AGENTS, requests_per_route: REQUESTS, seed_seconds: seeded.seconds, counts, latencies: measured,
        notes: [
          `${total} conversations (5/20 open, 2/20 pending, 1/20 snoozed, 12/20 resolved; assigned round the ${AGENTS} agents and 2 in 12 unassigned), each with its contact and ${PER_CONVERSATION} messages, seeded with multi-row INSERTs before Beckon started, then ANALYZE.`,
          'Latency is sequential requests over loopback with the agent\'s key (auth, validation, serialization included), after 10 warm-up requests; the baseline runs the same statements prepared on a connection of the bench process to the same file.',
          'The machine is shared: absolute figures are noisy; the ratio to the bare query moves less.',
        ],
      },
    };
  } finally {
    raw.close();
    await beckon.stop();
  }
}
