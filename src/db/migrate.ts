import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as core from './migrations/0001_core.ts';
import * as idempotencyReplay from './migrations/0002_idempotency_replay.ts';
import * as webhooks from './migrations/0003_webhooks.ts';
import * as messages from './migrations/0004_messages.ts';
import * as jobLanes from './migrations/0005_job_lanes.ts';
import * as channelsTemplates from './migrations/0006_channels_templates.ts';
import * as sendRules from './migrations/0007_send_rules.ts';
import * as inboundDedupe from './migrations/0008_inbound_dedupe.ts';
import * as imports from './migrations/0009_imports.ts';
import * as segments from './migrations/0010_segments.ts';
import * as campaigns from './migrations/0011_campaigns.ts';
import * as sharedLimits from './migrations/0012_shared_limits.ts';
import * as customEvents from './migrations/0013_custom_events.ts';
import * as automations from './migrations/0014_automations.ts';
import * as people from './migrations/0015_people.ts';
import * as sessions from './migrations/0016_sessions.ts';
import * as conversations from './migrations/0017_conversations.ts';
import * as automationStats from './migrations/0018_automation_stats.ts';
import * as automationWaits from './migrations/0019_automation_waits.ts';
import * as automationTriggers from './migrations/0020_automation_triggers.ts';
import * as webhookFormat from './migrations/0022_webhook_format.ts';
import * as deliveryParts from './migrations/0023_delivery_parts.ts';

/** Every migration in order; add new ones here (the one list serves both stores). */
const MIGRATIONS: Record<string, Migration> = {
  '0001_core': core,
  '0002_idempotency_replay': idempotencyReplay,
  '0003_webhooks': webhooks,
  '0004_messages': messages,
  '0005_job_lanes': jobLanes,
  '0006_channels_templates': channelsTemplates,
  '0007_send_rules': sendRules,
  '0008_inbound_dedupe': inboundDedupe,
  '0009_imports': imports,
  '0010_segments': segments,
  '0011_campaigns': campaigns,
  '0012_shared_limits': sharedLimits,
  '0013_custom_events': customEvents,
  '0014_automations': automations,
  '0015_people': people,
  '0016_sessions': sessions,
  '0017_conversations': conversations,
  '0018_automation_stats': automationStats,
  '0019_automation_waits': automationWaits,
  '0020_automation_triggers': automationTriggers,
  '0022_webhook_format': webhookFormat,
  '0023_delivery_parts': deliveryParts,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Migrations renamed after stores applied them, old name → new name (Kysely's Migrator refuses an applied name it does not know). */
const RENAMED: Record<string, string> = { '0014_shared_limits': '0012_shared_limits' };

/** Renames the applied migrations of RENAMED in kysely_migration (a fresh store has no such table yet). */
async function renameApplied(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return;
  for (const [from, to] of Object.entries(RENAMED)) await sql`update kysely_migration set name = ${to} where name = ${from}`.execute(db);
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  await renameApplied(db);
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of known migrations not yet applied to this store (empty when the schema is current); used by /readyz. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Names of every migration this version knows, in order (a store that applied another one was written by a newer Beckon). */
export function knownMigrations(): string[] {
  return Object.keys(MIGRATIONS);
}
