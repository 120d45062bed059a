import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely, type Selectable } from 'kysely';
import { tempStore, TEST_STORE } from '../../test/helpers.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './types.ts';

/** A column as both sides describe it: `text` or `number` (integer, bigint, double), `?` when it may be null. */
type Kind<V> = `${number extends NonNullable<V> ? 'number' : 'text'}${null extends V ? '?' : ''}`;
/** Every table of db/types.ts with the kind of each of its columns. */
type Shape = { [T in keyof Database]: { [C in keyof Selectable<Database[T]>]-?: Kind<Selectable<Database[T]>[C]> } };

// Every table and column, checked against db/types.ts by the compiler (`satisfies`: a column missing here, extra here,
// or of another kind or nullability fails the type-check) and against a freshly migrated store by the test below.
const SCHEMA = {
  api_keys: { id: 'text', workspace_id: 'text', name: 'text', prefix: 'text', key_hash: 'text', scopes: 'text', created_at: 'text', last_used_at: 'text?', revoked_at: 'text?', user_id: 'text?' },
  automation_run_steps: { id: 'text', run_id: 'text', step_id: 'text', type: 'text', outcome: 'text', message_id: 'text?', reason: 'text?', created_at: 'text' },
  automation_runs: { id: 'text', workspace_id: 'text', automation_id: 'text', version: 'number', contact_id: 'text', correlation_key: 'text?', status: 'text', current_step: 'text?', token: 'number', resume_at: 'text?', waiting_for: 'text?', wait_channel_id: 'text?', data: 'text', variables: 'text', active_key: 'text?', exit_reason: 'text?', error: 'text?', created_at: 'text', updated_at: 'text', ended_at: 'text?' },
  automation_step_counters: { automation_id: 'text', step_id: 'text', counter: 'text', day: 'text', shard: 'number', value: 'number' },
  automation_trigger_fires: { automation_id: 'text', fire_key: 'text', created_at: 'text' },
  automation_versions: { automation_id: 'text', version: 'number', definition: 'text', created_at: 'text' },
  automations: { id: 'text', workspace_id: 'text', name: 'text', status: 'text', version: 'number', definition: 'text', trigger_type: 'text', trigger_event: 'text?', created_at: 'text', updated_at: 'text' },
  campaign_links: { id: 'number', campaign_id: 'text', workspace_id: 'text', url: 'text', created_at: 'text' },
  campaign_recipients: { campaign_id: 'text', contact_id: 'text', workspace_id: 'text', position: 'number', state: 'text', skip_reason: 'text?', message_id: 'text?', processed_at: 'text?' },
  campaigns: { id: 'text', workspace_id: 'text', name: 'text', status: 'text', channel_id: 'text', segment_ids: 'text', exclude_segment_ids: 'text', subject: 'text?', content: 'text?', template_id: 'text?', template_values: 'text?', settings: 'text', send_at: 'text?', time_zone: 'text?', audience_frozen_at: 'text?', started_at: 'text?', paused_at: 'text?', completed_at: 'text?', cancelled_at: 'text?', created_at: 'text', updated_at: 'text' },
  channel_send_pacing: { channel_id: 'text', tat: 'number', paused_until: 'number', tolerance: 'number' },
  channel_send_slots: { key: 'text', channel_id: 'text', slot: 'number' },
  channels: { id: 'text', workspace_id: 'text', type: 'text', provider: 'text', title: 'text', config: 'text', is_default: 'number', created_at: 'text', updated_at: 'text', secrets: 'text?' },
  contact_channel_windows: { contact_id: 'text', channel_id: 'text', workspace_id: 'text', last_inbound_at: 'text' },
  contacts: { id: 'text', workspace_id: 'text', name: 'text?', phone: 'text?', email: 'text?', tags: 'text', custom_fields: 'text', source: 'text?', consent: 'text', blocked: 'number', last_inbound_at: 'text?', created_at: 'text', updated_at: 'text' },
  custom_events: { id: 'text', workspace_id: 'text', contact_id: 'text', name: 'text', data: 'text', correlation_key: 'text?', occurred_at: 'text', created_at: 'text' },
  custom_fields: { id: 'text', workspace_id: 'text', key: 'text', label: 'text', type: 'text', options: 'text', created_at: 'text', updated_at: 'text' },
  engagements: { id: 'text', workspace_id: 'text', type: 'text', message_id: 'text', contact_id: 'text', campaign_id: 'text?', link_id: 'number?', url: 'text?', machine: 'number', user_agent: 'text?', created_at: 'text' },
  events: { id: 'text', workspace_id: 'text', type: 'text', payload: 'text', created_at: 'text' },
  idempotency_keys: { workspace_id: 'text', key: 'text', request_hash: 'text', status_code: 'number?', response_body: 'text?', created_at: 'text', response_type: 'text?' },
  imports: { id: 'text', workspace_id: 'text', status: 'text', format: 'text', file: 'text', mapping: 'text', options: 'text', rows_done: 'number', inserted: 'number', updated: 'number', unchanged: 'number', skipped: 'number', failed: 'number', errors: 'text', error: 'text?', created_at: 'text', updated_at: 'text', completed_at: 'text?' },
  jobs: { id: 'number', task: 'text', payload: 'text', run_at: 'text', attempts: 'number', max_attempts: 'number', locked_until: 'text?', last_error: 'text?', failed_at: 'text?', created_at: 'text', lane: 'text' },
  messages: { id: 'text', workspace_id: 'text', channel_id: 'text', contact_id: 'text', direction: 'text', type: 'text', content: 'text', status: 'text', status_history: 'text', provider_message_id: 'text?', error: 'text?', metadata: 'text?', created_at: 'text', updated_at: 'text', deleted_at: 'text?', channel_type: 'text?', address: 'text?', template_uuid: 'text?', template_values: 'text?', optin_contact: 'number?', template: 'text?', subject: 'text?', html: 'text?', campaign_id: 'text?' },
  rate_limit_counters: { key: 'text', count: 'number', window_ends: 'number' },
  sandbox_sends: { idempotency_key: 'text', provider_message_id: 'text', recipient: 'text', calls: 'number', accepted_at: 'text?', created_at: 'text' },
  segment_contacts: { segment_id: 'text', contact_id: 'text', workspace_id: 'text', added_at: 'text' },
  segments: { id: 'text', workspace_id: 'text', name: 'text', type: 'text', rules: 'text?', created_at: 'text', updated_at: 'text' },
  team_members: { team_id: 'text', user_id: 'text', created_at: 'text' },
  conversations: { id: 'text', workspace_id: 'text', contact_id: 'text', channel_id: 'text', channel_type: 'text', status: 'text', assignee_id: 'text?', team_id: 'text?', priority: 'text', funnel_stage_id: 'text?', bot_status: 'text?', inbound_count: 'number', waiting_since: 'text?', first_response_at: 'text?', resolved_at: 'text?', last_inbound_at: 'text?', last_message_at: 'text', snoozed_until: 'text?', created_at: 'text', updated_at: 'text' },
  conversation_counts: { workspace_id: 'text', status: 'text', assignee_id: 'text', n: 'number' },
  conversation_notes: { id: 'text', workspace_id: 'text', conversation_id: 'text', author_id: 'text?', text: 'text', created_at: 'text' },
  conversation_reads: { conversation_id: 'text', user_id: 'text', inbound_count: 'number', read_at: 'text' },
  funnel_stages: { id: 'text', workspace_id: 'text', funnel_id: 'text', name: 'text', position: 'number', created_at: 'text' },
  funnels: { id: 'text', workspace_id: 'text', name: 'text', created_at: 'text', updated_at: 'text' },
  team_rotations: { team_id: 'text', last_user_id: 'text?', updated_at: 'text' },
  teams: { id: 'text', workspace_id: 'text', name: 'text', auto_assign: 'number', created_at: 'text', updated_at: 'text' },
  templates: { id: 'text', workspace_id: 'text', channel_type: 'text', channel_id: 'text?', name: 'text', language: 'text', category: 'text', parameter_format: 'text', header: 'text?', body: 'text', footer: 'text?', buttons: 'text', status: 'text', status_reason: 'text?', provider_template_id: 'text?', created_at: 'text', updated_at: 'text' },
  webhook_attempts: { id: 'number', delivery_id: 'text', attempt: 'number', status_code: 'number?', latency_ms: 'number', response_excerpt: 'text?', error: 'text?', created_at: 'text' },
  webhook_deliveries: { id: 'text', workspace_id: 'text', endpoint_id: 'text', event_id: 'text', event_type: 'text', part: 'number', status: 'text', attempt_count: 'number', next_attempt_at: 'text?', last_status_code: 'number?', last_error: 'text?', created_at: 'text', updated_at: 'text' },
  webhook_endpoints: { id: 'text', workspace_id: 'text', url: 'text', description: 'text?', events: 'text', enabled: 'number', secret: 'text', previous_secret: 'text?', previous_secret_expires_at: 'text?', disabled_reason: 'text?', disabled_at: 'text?', failing_since: 'text?', created_at: 'text', updated_at: 'text', origin: 'text', format: 'text' },
  sessions: { id: 'text', workspace_id: 'text', user_id: 'text', token_hash: 'text', created_at: 'text', last_seen_at: 'text', idle_expires_at: 'text', expires_at: 'text' },
  user_tokens: { id: 'text', workspace_id: 'text', user_id: 'text?', kind: 'text', token_hash: 'text', created_at: 'text', expires_at: 'text', used_at: 'text?' },
  custom_statuses: { id: 'text', workspace_id: 'text', name: 'text', created_at: 'text' },
  users: { id: 'text', workspace_id: 'text', email: 'text', name: 'text', role: 'text', availability: 'text', custom_status: 'text?', password_hash: 'text?', created_at: 'text', updated_at: 'text', deleted_at: 'text?' },
  workspaces: { id: 'text', name: 'text', created_at: 'text', time_zone: 'text?' },
} satisfies Shape;

/** The kind of a column as the store reports it. */
function kindOf(dataType: string, nullable: boolean): string {
  return `${/int|real|double|float|numeric|serial/i.test(dataType) ? 'number' : 'text'}${nullable ? '?' : ''}`;
}

/** Every table of the migrated store (without Kysely's own) with the kind of each column. */
async function storeSchema(db: Kysely<any>): Promise<Record<string, Record<string, string>>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_') && (t.schema ?? 'public') === 'public');
  const schema: Record<string, Record<string, string>> = {};
  for (const table of tables) {
    // SQLite lets a text primary key hold null unless it says `not null`; Beckon never writes one, so a key column is not nullable
    const keys = TEST_STORE === 'sqlite'
      ? new Set((await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table.name})`.execute(db)).rows.filter((r) => r.pk > 0).map((r) => r.name))
      : new Set<string>();
    schema[table.name] = Object.fromEntries(table.columns.map((c) => [c.name, kindOf(c.dataType, c.isNullable && !keys.has(c.name))]));
  }
  return schema;
}

/** The same record with its keys sorted at both levels, for a readable diff. */
function sorted(schema: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
  return Object.fromEntries(Object.keys(schema).sort().map((t) => [t, Object.fromEntries(Object.keys(schema[t]).sort().map((c) => [c, schema[t][c]]))]));
}

test('db/types.ts describes every table and column of a freshly migrated store (names, text or number, nullability)', async (t) => {
  const db = await tempStore(t);
  assert.deepEqual(sorted(await storeSchema(db)), sorted(SCHEMA));
});

test('a store that applied 0014_shared_limits before its renaming to 0012 migrates again cleanly', async (t) => {
  const db = await tempStore(t);
  await sql`update kysely_migration set name = '0014_shared_limits' where name = '0012_shared_limits'`.execute(db);
  assert.deepEqual(await migrateToLatest(db), []);
  const names = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  assert.ok(names.includes('0012_shared_limits') && !names.includes('0014_shared_limits'), names.join(', '));
});
