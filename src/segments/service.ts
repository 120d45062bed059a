import type { RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { SegmentsTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { decodeCursor } from '../lib/cursor.ts';
import { definitionsByKey } from '../contacts/custom-fields/service.ts';
import { contactView, type ContactView } from '../contacts/service.ts';
import { loadWindows } from '../contacts/windows.ts';
import { pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { compileRules, type ResolvedSegments } from './compile.ts';
import { jsonSql } from '../db/dialect.ts';
import * as q from './queries.ts';
import { campaignReferences, parseRules, segmentReferences, type CustomFieldTypes, type RuleNode } from './rules.ts';

/** The API view of a segment. */
export interface SegmentView {
  uuid: string;
  name: string;
  type: 'static' | 'dynamic';
  rules: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

/** How deep segment conditions may refer to segments that refer to segments. */
export const MAX_SEGMENT_NESTING = 5;
const DEFAULT_LIMIT = 20;

/** Maps a segment row to its API view. */
export function segmentView(row: SegmentsTable): SegmentView {
  return { uuid: row.id, name: row.name, type: row.type as SegmentView['type'], rules: row.rules === null ? null : parseJson(row.rules, {}), created_at: row.created_at, updated_at: row.updated_at };
}

async function customTypes(db: Db, workspaceId: string): Promise<CustomFieldTypes> {
  return new Map([...(await definitionsByKey(db, workspaceId))].map(([key, d]) => [key, d.type]));
}

/**
 * Loads every segment the rules refer to (transitively) and checks them: each must exist in the workspace, and no
 * chain of references may lead back to `selfId` or loop (400 naming the condition's `.value`).
 */
async function resolveReferences(db: Db, workspaceId: string, rules: RuleNode, types: CustomFieldTypes, selfId?: string): Promise<ResolvedSegments> {
  const resolved: ResolvedSegments = new Map();
  const visit = async (node: RuleNode, stack: string[], topPath: string | undefined): Promise<void> => {
    for (const ref of segmentReferences(node)) {
      const path = topPath ?? ref.path;
      if (ref.uuid === selfId || stack.includes(ref.uuid)) throw invalidField(path, 'refers back to the segment itself (segment references cannot form a cycle)');
      if (stack.length >= MAX_SEGMENT_NESTING) throw invalidField(path, `segments nest at most ${MAX_SEGMENT_NESTING} levels deep`);
      const row = resolved.has(ref.uuid) ? undefined : await q.findSegment(db, workspaceId, ref.uuid);
      if (resolved.has(ref.uuid)) {
        const seen = resolved.get(ref.uuid);
        if (seen?.type === 'dynamic') await visit(seen.rules, [...stack, ref.uuid], path);
        continue;
      }
      if (!row) throw invalidField(path, 'is not a segment of this workspace');
      if (row.type === 'static') {
        resolved.set(row.id, { type: 'static', id: row.id });
        continue;
      }
      let child: RuleNode;
      try {
        child = parseRules(parseJson(row.rules, null), 'rules', types);
      } catch (error) {
        throw new AppError(409, 'conflict', `segment ${row.id} has rules that no longer validate (${error instanceof Error ? error.message : String(error)}); fix it first`);
      }
      resolved.set(row.id, { type: 'dynamic', id: row.id, rules: child });
      await visit(child, [...stack, row.id], path);
    }
  };
  await visit(rules, [], undefined);
  return resolved;
}

/** The most bound values one compiled membership condition may hold (SQLite allows 32,766 per statement). */
export const MAX_COMPILED_VALUES = 20_000;

/** How many bound values the rules compile to once referenced dynamic segments are inlined (memoized per segment). */
function compiledSize(node: RuleNode, segments: ResolvedSegments, memo: Map<string, number>): number {
  if (node.kind === 'not') return compiledSize(node.child, segments, memo);
  if (node.kind !== 'condition') return node.children.reduce((n, child) => n + compiledSize(child, segments, memo), 0);
  if (node.target.type !== 'segment') return 4 + (Array.isArray(node.value) ? node.value.length : 1);
  const segment = segments.get(node.value as string);
  if (!segment || segment.type === 'static') return 1;
  const known = memo.get(segment.id);
  if (known !== undefined) return known;
  const size = compiledSize(segment.rules, segments, memo);
  memo.set(segment.id, size);
  return size;
}

function compileChecked(db: Db, rules: RuleNode, segments: ResolvedSegments, path: string): RawBuilder<boolean> {
  if (compiledSize(rules, segments, new Map()) > MAX_COMPILED_VALUES) {
    throw invalidField(path, `is too large once the segments it refers to are included (at most ${MAX_COMPILED_VALUES} values in all)`);
  }
  return compileRules(rules, segments, jsonSql(db));
}

/** Checks a rule tree from a request (400 naming the bad node under `path`) and compiles it to a membership condition. */
export async function compileRequestRules(db: Db, workspaceId: string, raw: unknown, path: string, selfId?: string): Promise<RawBuilder<boolean>> {
  const types = await customTypes(db, workspaceId);
  const rules = parseRules(raw, path, types);
  const campaigns = campaignReferences(rules);
  const known = await q.existingCampaignIds(db, workspaceId, campaigns.map((c) => c.uuid));
  const unknown = campaigns.find((c) => !known.has(c.uuid));
  if (unknown) throw invalidField(unknown.path, 'is not a campaign of this workspace');
  return compileChecked(db, rules, await resolveReferences(db, workspaceId, rules, types, selfId), path);
}

/** The membership condition of a stored segment: its rules, or its member rows for a static list. */
export async function membershipCondition(db: Db, workspaceId: string, row: SegmentsTable): Promise<RawBuilder<boolean>> {
  const node: unknown = { field: 'segment', op: 'eq', value: row.id };
  const types = await customTypes(db, workspaceId);
  const rules = parseRules(node, 'segment', types);
  return compileChecked(db, rules, await resolveReferences(db, workspaceId, rules, types), 'segment');
}

async function findOr404(db: Db, workspaceId: string, id: string): Promise<SegmentsTable> {
  const row = await q.findSegment(db, workspaceId, id);
  if (!row) throw notFound('segment');
  return row;
}

/** Creates a static list or a dynamic segment (its rules checked and compiled once to be sure they run). */
export async function createSegment(db: Db, workspaceId: string, input: { name: string; type: 'static' | 'dynamic'; rules?: unknown }): Promise<SegmentView> {
  if (input.type === 'static' && input.rules !== undefined) throw invalidField('body.rules', 'static segments have no rules; their members are added with POST /v1/segments/:uuid/contacts');
  if (input.type === 'dynamic' && input.rules === undefined) throw invalidField('body.rules', 'is required for a dynamic segment');
  const id = newId();
  if (input.type === 'dynamic') await compileRequestRules(db, workspaceId, input.rules, 'body.rules', id);
  const now = nowIso();
  const row: SegmentsTable = { id, workspace_id: workspaceId, name: input.name, type: input.type, rules: input.type === 'dynamic' ? JSON.stringify(input.rules) : null, created_at: now, updated_at: now };
  await q.insertSegment(db, row);
  return segmentView(row);
}

/** One segment; 404 when it is not in the workspace. */
export async function getSegment(db: Db, workspaceId: string, id: string): Promise<SegmentView> {
  return segmentView(await findOr404(db, workspaceId, id));
}

/** A page of the workspace's segments, newest first. */
export async function listSegments(db: Db, workspaceId: string, query: { limit?: number; cursor?: string }): Promise<{ segments: SegmentView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = pageOf(await q.listSegments(db, workspaceId, limit, decodeCursor(query.cursor)), limit, (row) => row.created_at);
  return { segments: page.items.map(segmentView), meta: { next_cursor: page.next_cursor } };
}

/** Renames a segment or replaces a dynamic segment's rules (checked, cycles refused); the type never changes. */
export async function updateSegment(db: Db, workspaceId: string, id: string, input: { name?: string; rules?: unknown }): Promise<SegmentView> {
  const row = await findOr404(db, workspaceId, id);
  if (input.rules !== undefined && row.type === 'static') throw invalidField('body.rules', 'static segments have no rules');
  if (input.rules !== undefined) await compileRequestRules(db, workspaceId, input.rules, 'body.rules', id);
  const changes = { name: input.name ?? row.name, rules: input.rules === undefined ? row.rules : JSON.stringify(input.rules), updated_at: nowIso() };
  await q.updateSegment(db, workspaceId, id, changes);
  return segmentView({ ...row, ...changes });
}

/** Deletes a segment; 409 `conflict` (with `referenced_by`) while another segment's rules refer to it. */
export async function deleteSegment(db: Db, workspaceId: string, id: string): Promise<void> {
  await findOr404(db, workspaceId, id);
  const referrers = (await q.findSegmentsMentioning(db, workspaceId, id)).filter((other) => JSON.stringify(parseJson(other.rules, null)).includes(`"${id}"`));
  if (referrers.length > 0) {
    throw new AppError(409, 'conflict', `segment is used by the rules of ${referrers.length} other segment(s); change them first`, undefined, { referenced_by: referrers.map((r) => r.id) });
  }
  await q.deleteSegment(db, workspaceId, id);
}

async function staticTarget(db: Db, workspaceId: string, id: string, contactIds: string[]): Promise<string[]> {
  const row = await findOr404(db, workspaceId, id);
  if (row.type !== 'static') throw new AppError(409, 'conflict', 'a dynamic segment\'s members follow its rules; only static segments take contacts');
  const ids = contactIds.map((c) => c.toLowerCase());
  const existing = await q.existingContactIds(db, workspaceId, ids);
  const errors = ids.flatMap((c, i) => existing.has(c) ? [] : [{ path: `body.contact_uuids.${i}`, message: 'is not a contact of this workspace' }]);
  if (errors.length > 0) throw new AppError(400, 'validation_failed', `${errors.length} contact uuid(s) are not contacts of this workspace`, errors);
  return [...new Set(ids)];
}

/** Adds contacts to a static segment; returns how many were not members yet. */
export async function addSegmentContacts(db: Db, workspaceId: string, id: string, contactIds: string[]): Promise<number> {
  const ids = await staticTarget(db, workspaceId, id, contactIds);
  return q.addMembers(db, workspaceId, id, ids, nowIso());
}

/** Removes contacts from a static segment; returns how many were members. */
export async function removeSegmentContacts(db: Db, workspaceId: string, id: string, contactIds: string[]): Promise<number> {
  const ids = await staticTarget(db, workspaceId, id, contactIds);
  return q.removeMembers(db, workspaceId, id, ids);
}

async function contactViews(db: Db, workspaceId: string, rows: Awaited<ReturnType<typeof q.pageContacts>>): Promise<ContactView[]> {
  const windows = await loadWindows(db, workspaceId, rows.map((row) => row.id));
  return rows.map((row) => contactView(row, windows.get(row.id)));
}

/** A page of a segment's current members, newest contacts first. */
export async function listSegmentContacts(db: Db, workspaceId: string, id: string, query: { limit?: number; cursor?: string }): Promise<{ contacts: ContactView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const cursor = decodeCursor(query.cursor);
  const condition = await membershipCondition(db, workspaceId, await findOr404(db, workspaceId, id));
  const page = pageOf(await q.pageContacts(db, workspaceId, condition, limit, cursor), limit, (row) => row.created_at);
  return { contacts: await contactViews(db, workspaceId, page.items), meta: { next_cursor: page.next_cursor } };
}

/** How many contacts a segment holds now. */
export async function countSegment(db: Db, workspaceId: string, id: string): Promise<number> {
  return q.countContacts(db, workspaceId, await membershipCondition(db, workspaceId, await findOr404(db, workspaceId, id)));
}

/** Counts the contacts matching unsaved rules and returns the newest `sampleSize` of them. */
export async function previewRules(db: Db, workspaceId: string, rules: unknown, sampleSize: number): Promise<{ count: number; sample: ContactView[] }> {
  const condition = await compileRequestRules(db, workspaceId, rules, 'body.rules');
  const count = await q.countContacts(db, workspaceId, condition);
  const rows = sampleSize === 0 ? [] : (await q.pageContacts(db, workspaceId, condition, sampleSize)).slice(0, sampleSize);
  return { count, sample: await contactViews(db, workspaceId, rows) };
}

/**
 * The ids of the workspace's contacts in any of `includeIds` and in none of `excludeIds` (each contact once), as a
 * query selecting `contacts.id` to run, page or use as a subquery; 404 when a segment is not in the workspace.
 */
export async function segmentMemberQuery(db: Db, workspaceId: string, includeIds: string[], excludeIds: string[]) {
  const conditionOf = async (id: string) => membershipCondition(db, workspaceId, await findOr404(db, workspaceId, id));
  const include = await Promise.all(includeIds.map(conditionOf));
  const exclude = await Promise.all(excludeIds.map(conditionOf));
  let query = db.selectFrom('contacts').select('contacts.id').where('contacts.workspace_id', '=', workspaceId);
  query = query.where((eb) => eb.or(include));
  for (const condition of exclude) query = query.where((eb) => eb.not(condition));
  return query;
}
