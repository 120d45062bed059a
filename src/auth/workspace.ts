import type { Db } from '../db/connect.ts';
import type { WorkspacesTable } from '../db/types.ts';
import { invalidField, notFound } from '../errors.ts';
import * as q from './queries.ts';
import { isTimeZone } from '../lib/time.ts';

/** The caller's workspace as the API shows it. */
export interface WorkspaceView {
  uuid: string;
  name: string;
  /** The default IANA time zone (automation date triggers read dates in it); null: UTC. */
  time_zone: string | null;
  created_at: string;
}

function workspaceView(row: WorkspacesTable): WorkspaceView {
  return { uuid: row.id, name: row.name, time_zone: row.time_zone, created_at: row.created_at };
}

/** The workspace, or 404. */
export async function getWorkspace(db: Db, workspaceId: string): Promise<WorkspaceView> {
  const row = await q.findWorkspace(db, workspaceId);
  if (!row) throw notFound('workspace');
  return workspaceView(row);
}

/** Sets the workspace's default time zone (an IANA name, or null for UTC); 400 naming body.time_zone for an unknown zone. */
export async function updateWorkspace(db: Db, workspaceId: string, patch: { time_zone?: string | null }): Promise<WorkspaceView> {
  const zone = patch.time_zone;
  if (typeof zone === 'string' && !isTimeZone(zone as unknown)) {
    throw invalidField('body.time_zone', `"${zone.slice(0, 64)}" is not an IANA time zone (e.g. America/Montreal, Europe/Rome, UTC)`);
  }
  if (patch.time_zone !== undefined) await q.updateWorkspace(db, workspaceId, { time_zone: patch.time_zone });
  return getWorkspace(db, workspaceId);
}
