import type { Db } from '../db/connect.ts';
import { AppError, type FieldError } from '../errors.ts';
import * as q from './queries.ts';
import { compileRequestRules, membershipCondition } from './service.ts';

// Membership of one contact (automations: branch conditions, list changes), evaluated without scanning the segment.

function fieldErrors(error: unknown, path: string): FieldError[] {
  if (!(error instanceof AppError)) throw error;
  return error.errors ?? [{ path, message: error.message }];
}

/** Field errors (`<path>.<i>`) for uuids that are not segments of the workspace, or (with `staticOnly`) not static lists. */
export async function checkSegmentRefs(db: Db, workspaceId: string, ids: string[], path: string, staticOnly: boolean): Promise<FieldError[]> {
  const rows = new Map((await q.findSegments(db, workspaceId, [...new Set(ids.map((id) => id.toLowerCase()))])).map((r) => [r.id, r]));
  return ids.flatMap((id, i) => {
    const row = rows.get(id.toLowerCase());
    if (!row) return [{ path: `${path}.${i}`, message: 'is not a segment of this workspace' }];
    if (staticOnly && row.type !== 'static') return [{ path: `${path}.${i}`, message: 'is a dynamic segment: its members follow its rules (only static segments take contacts)' }];
    return [];
  });
}

/** Checks a rule tree in the segment rule language (fields, ops, referenced segments and campaigns); field errors under `path`. */
export async function checkRuleTree(db: Db, workspaceId: string, raw: unknown, path: string): Promise<FieldError[]> {
  try {
    await compileRequestRules(db, workspaceId, raw, path);
    return [];
  } catch (error) {
    return fieldErrors(error, path);
  }
}

/** True when the contact is in the segment now (a static list's member row, or a dynamic segment's rules for this contact); undefined when the segment is gone. */
export async function contactInSegment(db: Db, workspaceId: string, contactId: string, segmentId: string): Promise<boolean | undefined> {
  const row = await q.findSegment(db, workspaceId, segmentId.toLowerCase());
  if (!row) return undefined;
  try {
    return await q.contactMatches(db, workspaceId, contactId, await membershipCondition(db, workspaceId, row));
  } catch (error) {
    fieldErrors(error, 'segment'); // a segment whose rules no longer check (409) holds no one
    return false;
  }
}

/** True when the contact matches a rule tree (checked when it was saved; a tree that no longer checks, e.g. a segment it names was deleted, matches nothing). */
export async function contactMatchesRules(db: Db, workspaceId: string, contactId: string, raw: unknown): Promise<boolean> {
  let condition;
  try {
    condition = await compileRequestRules(db, workspaceId, raw, 'rule');
  } catch (error) {
    fieldErrors(error, 'rule');
    return false;
  }
  return q.contactMatches(db, workspaceId, contactId, condition);
}

/** Adds the contact to the static lists `add` and removes it from `remove`, in `trx`; lists deleted (or not static) since are left out and returned. */
export async function changeListMembership(trx: Db, workspaceId: string, contactId: string, add: string[], remove: string[], at: string): Promise<string[]> {
  const ids = [...add, ...remove].map((id) => id.toLowerCase());
  const lists = new Set((await q.findSegments(trx, workspaceId, [...new Set(ids)])).filter((r) => r.type === 'static').map((r) => r.id));
  for (const id of add) if (lists.has(id.toLowerCase())) await q.addMembers(trx, workspaceId, id.toLowerCase(), [contactId], at);
  for (const id of remove) if (lists.has(id.toLowerCase())) await q.removeMembers(trx, workspaceId, id.toLowerCase(), [contactId]);
  return ids.filter((id) => !lists.has(id));
}
