import type { Db } from './db/connect.ts';
import { countWorkspaces, findKeyByHash, findWorkspaceByName } from './auth/queries.ts';
import { createApiKey, createWorkspace } from './auth/service.ts';
import { createDefaultSandboxChannel } from './channels/service.ts';
import { sha256 } from './lib/hash.ts';
import type { Config } from './config.ts';
import { bootstrapAdmin } from './users/bootstrap.ts';

/** Name of the workspace created at first start. */
export const DEFAULT_WORKSPACE = 'default';

/** Creates a workspace with its admin key and a sandbox WhatsApp channel; returns the key's secret. */
export async function createWorkspaceWithDefaults(db: Db, name: string, secret?: string): Promise<{ workspaceId: string; secret: string }> {
  const created = await createWorkspace(db, name, secret);
  await createDefaultSandboxChannel(db, created.workspaceId);
  return created;
}

/**
 * On a fresh store, creates the default workspace and returns its admin key for printing once, with a one-time link
 * that creates and signs in the first admin user (unless BECKON_BOOTSTRAP_ADMIN_EMAIL/PASSWORD name that user: it is
 * created, at the first start or later if missing). When a bootstrap key is configured and unknown, it is adopted as
 * an admin key of the default workspace.
 */
export async function bootstrap(db: Db, config: Pick<Config, 'bootstrapKey' | 'bootstrapAdminEmail' | 'bootstrapAdminPassword' | 'publicUrl' | 'invitationTtlHours'>): Promise<{ createdKey: string | null; adminLink: string | null }> {
  const { bootstrapKey } = config;
  if ((await countWorkspaces(db)) === 0) {
    const { secret, workspaceId } = await createWorkspaceWithDefaults(db, DEFAULT_WORKSPACE, bootstrapKey);
    const adminLink = await bootstrapAdmin(db, config, workspaceId, true);
    return { createdKey: bootstrapKey ? null : secret, adminLink };
  }
  const workspace = await findWorkspaceByName(db, DEFAULT_WORKSPACE);
  if (bootstrapKey && !(await findKeyByHash(db, sha256(bootstrapKey)))) {
    if (workspace) await createApiKey(db, workspace.id, 'bootstrap', ['admin'], bootstrapKey);
  }
  if (workspace) await bootstrapAdmin(db, config, workspace.id, false);
  return { createdKey: null, adminLink: null };
}
