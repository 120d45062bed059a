import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * The team inbox's conversations (a contact's thread on one channel), their per-user read markers and internal notes,
 * funnels with ordered stages, and each team's round-robin rotation. Every list and count of the inbox is answered
 * from the conversations indexes (workspace first, then the filter, then last_message_at, id), never from messages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('funnels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('funnels_workspace_created').on('funnels').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema.createTable('funnel_stages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('funnel_id', 'text', (c) => c.notNull().references('funnels.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('funnel_stages_funnel').on('funnel_stages').columns(['funnel_id', 'position']).execute();

  await db.schema.createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('channel_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('funnel_stage_id', 'text', (c) => c.references('funnel_stages.id').onDelete('set null'))
    .addColumn('bot_status', 'text')
    .addColumn('inbound_count', 'integer', (c) => c.notNull())
    .addColumn('waiting_since', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('last_inbound_at', 'text')
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .addColumn('snoozed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // one thread per contact and channel: a new inbound message finds it (and reopens it when resolved)
  await db.schema.createIndex('conversations_contact_channel').on('conversations').columns(['workspace_id', 'contact_id', 'channel_id']).unique().execute();
  // the list (newest activity first) and its filters; the status and assignee ones also answer the counts
  await db.schema.createIndex('conversations_recent').on('conversations').columns(['workspace_id', 'last_message_at', 'id']).execute();
  await db.schema.createIndex('conversations_status').on('conversations').columns(['workspace_id', 'status', 'last_message_at', 'id']).execute();
  await db.schema.createIndex('conversations_assignee').on('conversations').columns(['workspace_id', 'assignee_id', 'status', 'last_message_at', 'id']).execute();
  await db.schema.createIndex('conversations_team').on('conversations').columns(['workspace_id', 'team_id', 'status', 'last_message_at', 'id']).execute();
  await db.schema.createIndex('conversations_channel').on('conversations').columns(['workspace_id', 'channel_id', 'status', 'last_message_at', 'id']).execute();
  await db.schema.createIndex('conversations_stage').on('conversations').columns(['funnel_stage_id', 'last_message_at', 'id']).execute();

  await db.schema.createTable('conversation_reads')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('inbound_count', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('conversation_reads_user').on('conversation_reads').column('user_id').execute();

  await db.schema.createTable('conversation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_notes_conversation').on('conversation_notes').columns(['conversation_id', 'created_at', 'id']).execute();

  // the inbox counts: how many conversations each (status, assignee) has ('' = unassigned), kept by triggers on
  // conversations (every insert, delete — contact and workspace deletions cascade — and status or assignee change), so
  // GET /v1/conversations/counts reads a handful of rows whatever the number of conversations
  await db.schema.createTable('conversation_counts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_counts_pk', ['workspace_id', 'status', 'assignee_id'])
    .execute();
  await countTriggers(db);

  await db.schema.createTable('team_rotations')
    .addColumn('team_id', 'text', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('last_user_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

/**
 * The triggers that keep conversation_counts. An update moves one conversation from its old (status, assignee) bucket
 * to its new one, touching the two rows in key order so that concurrent moves in opposite directions never deadlock
 * on PostgreSQL (SQLite has one writer).
 */
async function countTriggers(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create function conversation_counts_apply() returns trigger language plpgsql as $$
      declare
        old_key text;
        new_key text;
      begin
        if tg_op = 'INSERT' then
          insert into conversation_counts (workspace_id, status, assignee_id, n) values (new.workspace_id, new.status, coalesce(new.assignee_id, ''), 1)
            on conflict (workspace_id, status, assignee_id) do update set n = conversation_counts.n + 1;
          return null;
        end if;
        if tg_op = 'DELETE' then
          update conversation_counts set n = n - 1 where workspace_id = old.workspace_id and status = old.status and assignee_id = coalesce(old.assignee_id, '');
          return null;
        end if;
        old_key := old.status || '/' || coalesce(old.assignee_id, '');
        new_key := new.status || '/' || coalesce(new.assignee_id, '');
        if old_key < new_key then
          update conversation_counts set n = n - 1 where workspace_id = old.workspace_id and status = old.status and assignee_id = coalesce(old.assignee_id, '');
        end if;
        insert into conversation_counts (workspace_id, status, assignee_id, n) values (new.workspace_id, new.status, coalesce(new.assignee_id, ''), 1)
          on conflict (workspace_id, status, assignee_id) do update set n = conversation_counts.n + 1;
        if old_key > new_key then
          update conversation_counts set n = n - 1 where workspace_id = old.workspace_id and status = old.status and assignee_id = coalesce(old.assignee_id, '');
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_count_rows after insert or delete on conversations for each row execute function conversation_counts_apply()`.execute(db);
    await sql`create trigger conversations_count_moves after update of status, assignee_id on conversations for each row
      when (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id) execute function conversation_counts_apply()`.execute(db);
    return;
  }
  const add = (row: 'new') => sql.raw(`insert into conversation_counts (workspace_id, status, assignee_id, n) values (${row}.workspace_id, ${row}.status, coalesce(${row}.assignee_id, ''), 1)
      on conflict (workspace_id, status, assignee_id) do update set n = n + 1;`);
  const remove = sql.raw(`update conversation_counts set n = n - 1 where workspace_id = old.workspace_id and status = old.status and assignee_id = coalesce(old.assignee_id, '');`);
  await sql`create trigger conversations_count_insert after insert on conversations begin ${add('new')} end`.execute(db);
  await sql`create trigger conversations_count_delete after delete on conversations begin ${remove} end`.execute(db);
  await sql`create trigger conversations_count_update after update of status, assignee_id on conversations
    when old.status is not new.status or old.assignee_id is not new.assignee_id begin ${remove} ${add('new')} end`.execute(db);
}

/** Drops the inbox tables (and with them the triggers). */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['team_rotations', 'conversation_counts', 'conversation_notes', 'conversation_reads', 'conversations', 'funnel_stages', 'funnels']) await db.schema.dropTable(table).ifExists().execute();
  if (isPostgres(db)) await sql`drop function if exists conversation_counts_apply()`.execute(db);
}
