import type { Kysely } from 'kysely';

/**
 * Signing in: sessions (a browser's cookie, stored as a hash, with idle and absolute expiry), one-time user tokens
 * (invitations, password resets and the first admin's bootstrap link, stored as hashes) and the workspace's custom
 * statuses (Callbell's custom_statuses: presets for a user's custom_status).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_token_hash').on('sessions').column('token_hash').unique().execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema.createTable('user_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // null for the bootstrap link, which creates its admin user when accepted
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('user_tokens_token_hash').on('user_tokens').column('token_hash').unique().execute();
  await db.schema.createIndex('user_tokens_user').on('user_tokens').column('user_id').execute();

  await db.schema.createTable('custom_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_statuses_workspace_name').on('custom_statuses').columns(['workspace_id', 'name']).unique().execute();
}

/** Drops the tables. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['custom_statuses', 'user_tokens', 'sessions']) await db.schema.dropTable(table).ifExists().execute();
}
