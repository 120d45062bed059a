import type { Db } from './db/connect.ts';
import { countWorkspaces, findKeyByHash, findWorkspaceByName } from './auth/queries.ts';
import { createApiKey, createWorkspace } from './auth/service.ts';
import { createDefaultSandboxChannel } from './channels/service.ts';
import { sha256 } from './lib/hash.ts';

/** Name of the workspace created at first start. */
export const DEFAULT_WORKSPACE = 'default';

/** Creates a workspace with its admin key and a sandbox WhatsApp channel; returns the key's secret. */
export async function createWorkspaceWithDefaults(db: Db, name: string, secret?: string): Promise<{ workspaceId: string; secret: string }> {
  const created = await createWorkspace(db, name, secret);
  await createDefaultSandboxChannel(db, created.workspaceId);
  return created;
}

/**
 * On a fresh store, creates the default workspace and returns its admin key for printing once.
 * When a bootstrap key is configured and unknown, it is adopted as an admin key of the default workspace.
 */
export async function bootstrap(db: Db, bootstrapKey: string | undefined): Promise<{ createdKey: string | null }> {
  if ((await countWorkspaces(db)) === 0) {
    const { secret } = await createWorkspaceWithDefaults(db, DEFAULT_WORKSPACE, bootstrapKey);
    return { createdKey: bootstrapKey ? null : secret };
  }
  if (bootstrapKey && !(await findKeyByHash(db, sha256(bootstrapKey)))) {
    const workspace = await findWorkspaceByName(db, DEFAULT_WORKSPACE);
    if (workspace) await createApiKey(db, workspace.id, 'bootstrap', ['admin'], bootstrapKey);
  }
  return { createdKey: null };
}
