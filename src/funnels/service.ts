import type { Db } from '../db/connect.ts';
import type { FunnelStagesTable, FunnelsTable } from '../db/types.ts';
import { invalidField, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';

/** A funnel stage as the API shows it. */
export interface StageView {
  uuid: string;
  name: string;
  position: number;
}

/** A funnel with its ordered stages. */
export interface FunnelView {
  uuid: string;
  name: string;
  stages: StageView[];
  created_at: string;
  updated_at: string;
}

/** What creates a funnel; a PATCH gives any of it, `stages` then being the whole new list (a stage with its uuid is kept, renamed and moved; one left out is deleted). */
export interface FunnelInput {
  name: string;
  stages: { uuid?: string; name: string }[];
}

function view(row: FunnelsTable, stages: FunnelStagesTable[]): FunnelView {
  return {
    uuid: row.id, name: row.name, created_at: row.created_at, updated_at: row.updated_at,
    stages: stages.filter((s) => s.funnel_id === row.id).map((s) => ({ uuid: s.id, name: s.name, position: Number(s.position) })),
  };
}

function checkNames(stages: { name: string }[]): void {
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    const key = s.name.trim().toLowerCase();
    if (seen.has(key)) throw invalidField(`body.stages.${i}.name`, `"${s.name}" is already the name of another stage of this funnel`);
    seen.add(key);
  });
}

/** Creates a funnel with its stages in the given order. */
export async function createFunnel(db: Db, workspaceId: string, input: FunnelInput): Promise<FunnelView> {
  checkNames(input.stages);
  input.stages.forEach((s, i) => {
    if (s.uuid !== undefined) throw invalidField(`body.stages.${i}.uuid`, 'a new funnel\'s stages have no uuid yet');
  });
  const now = nowIso();
  const row: FunnelsTable = { id: newId(), workspace_id: workspaceId, name: input.name, created_at: now, updated_at: now };
  const stages = input.stages.map((s, i): FunnelStagesTable => ({ id: newId(), workspace_id: workspaceId, funnel_id: row.id, name: s.name, position: i, created_at: now }));
  await db.transaction().execute(async (trx) => {
    await q.insertFunnel(trx, row);
    await q.insertStages(trx, stages);
  });
  return view(row, stages);
}

/** One funnel with its stages, or 404. */
export async function getFunnel(db: Db, workspaceId: string, id: string): Promise<FunnelView> {
  const row = await q.findFunnel(db, workspaceId, id);
  if (!row) throw notFound('funnel');
  return view(row, await q.stagesOf(db, [row.id]));
}

/** A page of the workspace's funnels, newest first. */
export async function listFunnels(db: Db, workspaceId: string, query: { limit?: number; cursor?: string }): Promise<{ funnels: FunnelView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const page = pageOf(await q.listFunnels(db, workspaceId, limit, decodeCursor(query.cursor)), limit, (r) => r.created_at);
  const stages = await q.stagesOf(db, page.items.map((r) => r.id));
  return { funnels: page.items.map((r) => view(r, stages)), meta: { next_cursor: page.next_cursor } };
}

/** Renames a funnel and/or replaces its stage list (kept stages by uuid, new ones without; 400 naming a uuid that is not one of its stages). */
export async function updateFunnel(db: Db, workspaceId: string, id: string, input: Partial<FunnelInput>): Promise<FunnelView> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const row = await q.findFunnel(trx, workspaceId, id);
    if (!row) throw notFound('funnel');
    await q.updateFunnel(trx, workspaceId, id, { ...(input.name !== undefined ? { name: input.name } : {}), updated_at: now });
    if (input.stages === undefined) return;
    checkNames(input.stages);
    const existing = await q.stagesOf(trx, [id]);
    const known = new Set(existing.map((s) => s.id));
    const kept = new Set<string>();
    const fresh: FunnelStagesTable[] = [];
    for (const [i, s] of input.stages.entries()) {
      if (s.uuid === undefined) {
        fresh.push({ id: newId(), workspace_id: workspaceId, funnel_id: id, name: s.name, position: i, created_at: now });
      } else {
        if (!known.has(s.uuid) || kept.has(s.uuid)) throw invalidField(`body.stages.${i}.uuid`, 'is not a stage of this funnel (or is listed twice)');
        kept.add(s.uuid);
        await q.updateStage(trx, s.uuid, { name: s.name, position: i });
      }
    }
    await q.deleteStages(trx, existing.filter((s) => !kept.has(s.id)).map((s) => s.id));
    await q.insertStages(trx, fresh);
  });
  return getFunnel(db, workspaceId, id);
}

/** Deletes a funnel and its stages (conversations at them lose their stage); 404 when absent. */
export async function deleteFunnel(db: Db, workspaceId: string, id: string): Promise<void> {
  if ((await q.deleteFunnel(db, workspaceId, id)) === 0) throw notFound('funnel');
}

/** A stage of the workspace with its funnel's id and name, or undefined (what a conversation's funnel_stage_uuid names). */
export async function findStage(db: Db, workspaceId: string, id: string): Promise<{ uuid: string; name: string; funnel_uuid: string } | undefined> {
  const stage = await q.findStage(db, workspaceId, id);
  return stage && { uuid: stage.id, name: stage.name, funnel_uuid: stage.funnel_id };
}
