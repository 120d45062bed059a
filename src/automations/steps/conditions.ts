import type { Db } from '../../db/connect.ts';
import type { FieldError } from '../../errors.ts';
import { findMessage } from '../../messages/queries.ts';
import { checkRuleTree, checkSegmentRefs, contactInSegment, contactMatchesRules } from '../../segments/membership.ts';
import { lastRunMessageId } from '../queries.ts';
import { checkTimeCondition, timeHolds, type TimeCondition } from './time-condition.ts';
import type { RunState } from './types.ts';

/** The statuses a `last_message` condition names, in the order a message reaches them (`failed` stands apart). */
export const LAST_MESSAGE_STATUSES = ['enqueued', 'sent', 'delivered', 'read', 'failed'] as const;
const REACHED = ['enqueued', 'sent', 'delivered', 'read'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The kind of a branch condition, told by its keys: field/op/value, `segment`, `rule`, `last_message` or `time`. */
export function conditionKind(cond: Record<string, unknown>): 'field' | 'segment' | 'rule' | 'last_message' | 'time' {
  if (cond.time !== undefined) return 'time';
  if (cond.segment !== undefined) return 'segment';
  if (cond.rule !== undefined) return 'rule';
  if (cond.last_message !== undefined) return 'last_message';
  return 'field';
}

/** Checks a `segment`, `rule`, `last_message` or `time` condition's shape at `at` (its references: checkConditionRefs). */
export function checkContactCondition(cond: Record<string, unknown>, at: string): FieldError[] {
  const kind = conditionKind(cond);
  const allowed = kind === 'segment' ? ['segment', 'op', 'next'] : [kind, 'next'];
  const out: FieldError[] = Object.keys(cond).filter((k) => !allowed.includes(k)).map((k) => ({ path: `${at}.${k}`, message: `is not a setting of a ${kind} condition` }));
  if (kind === 'segment') {
    if (typeof cond.segment !== 'string' || !UUID.test(cond.segment)) out.push({ path: `${at}.segment`, message: 'must be the uuid of a segment' });
    if (cond.op !== undefined && cond.op !== 'in' && cond.op !== 'not_in') out.push({ path: `${at}.op`, message: 'must be in (the default) or not_in' });
  } else if (kind === 'time') {
    out.push(...checkTimeCondition(cond.time, `${at}.time`));
  } else if (kind === 'rule') {
    if (cond.rule === null || typeof cond.rule !== 'object' || Array.isArray(cond.rule)) out.push({ path: `${at}.rule`, message: 'must be a rule tree of the segment rule language ({"all": [...]}, {"any": [...]}, {"not": …} or {"field", "op", "value"})' });
  } else if (!(LAST_MESSAGE_STATUSES as readonly unknown[]).includes(cond.last_message)) {
    out.push({ path: `${at}.last_message`, message: `must be one of ${LAST_MESSAGE_STATUSES.join(', ')}` });
  }
  return out;
}

/** Checks what a condition names in the workspace: the segment, or the rule tree (its fields, segments and campaigns). */
export async function checkConditionRefs(db: Db, workspaceId: string, cond: Record<string, unknown>, at: string): Promise<FieldError[]> {
  const kind = conditionKind(cond);
  if (kind === 'segment') return (await checkSegmentRefs(db, workspaceId, [cond.segment as string], `${at}.segment`, false)).map((e) => ({ ...e, path: `${at}.segment` }));
  if (kind === 'rule') return checkRuleTree(db, workspaceId, cond.rule, `${at}.rule`);
  return [];
}

/** True when the status reached `wanted`: read counts as delivered, sent and enqueued; failed only as failed. */
export function reached(status: string, wanted: string): boolean {
  if (wanted === 'failed' || status === 'failed') return status === wanted;
  return REACHED.indexOf(status) >= REACHED.indexOf(wanted);
}

/** Evaluates a `segment`, `rule`, `last_message` or `time` (the run's now, time-condition.ts) condition for the run's contact (one contact, one look-up each). */
export async function contactConditionHolds(trx: Db, run: RunState, cond: Record<string, unknown>): Promise<boolean> {
  const { contact } = run;
  const kind = conditionKind(cond);
  if (kind === 'segment') {
    const member = await contactInSegment(trx, contact.workspace_id, contact.id, cond.segment as string);
    return member === undefined ? false : member === (cond.op !== 'not_in');
  }
  if (kind === 'rule') return contactMatchesRules(trx, contact.workspace_id, contact.id, cond.rule);
  if (kind === 'time') return timeHolds(cond.time as TimeCondition, new Date(run.now));
  const messageId = await lastRunMessageId(trx, run.row.id);
  const message = messageId === undefined ? undefined : await findMessage(trx, contact.workspace_id, messageId);
  return message !== undefined && reached(message.status, cond.last_message as string);
}
