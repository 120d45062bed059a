import { sql, type RawBuilder } from 'kysely';
import type { CampaignEvent, Condition, EventCount, RuleNode } from './rules.ts';
import { consentStatus, customType, customValue, eventDataType, eventDataValue, tagsHave, tagsHaveAny, tagsNotEmpty } from './sql-json.ts';
import { escapeLike, likeEscape, type JsonSql } from '../db/dialect.ts';

/** What a `segment` condition refers to: a static list (its member rows) or a dynamic segment (its checked rules). */
export type ResolvedSegment = { type: 'static'; id: string } | { type: 'dynamic'; id: string; rules: RuleNode };

/** Referenced segments by uuid, loaded (and checked for cycles) before compiling. */
export type ResolvedSegments = Map<string, ResolvedSegment>;

type Bool = RawBuilder<boolean>;

const TRUE: Bool = sql<boolean>`true`;
const FALSE: Bool = sql<boolean>`false`;

function and(parts: Bool[]): Bool {
  return parts.length === 0 ? TRUE : sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

function or(parts: Bool[]): Bool {
  return parts.length === 0 ? FALSE : sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

function not(part: Bool): Bool {
  return sql<boolean>`(not ${part})`;
}

function like(value: RawBuilder<unknown>, pattern: string): Bool {
  return sql<boolean>`lower(${value}) like ${pattern.toLowerCase()} ${likeEscape()}`;
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

/** The positive form of an op (neq → eq, not_in → in, not_contains → contains, not_exists → exists). */
function positiveOp(op: Condition['op']): { op: Condition['op']; negate: boolean } {
  if (op === 'neq') return { op: 'eq', negate: true };
  if (op === 'not_in') return { op: 'in', negate: true };
  if (op === 'not_contains') return { op: 'contains', negate: true };
  if (op === 'not_exists') return { op: 'exists', negate: true };
  if (op === 'not_performed') return { op: 'performed', negate: true };
  return { op, negate: false };
}

/** Compares a non-null SQL value with a condition's value under a positive op. */
function compare(value: RawBuilder<unknown>, op: Condition['op'], v: unknown, dateOnly = false): Bool {
  switch (op) {
    case 'eq': return sql<boolean>`${value} = ${v}`;
    case 'in': return sql<boolean>`${value} in (${sql.join(v as unknown[])})`;
    case 'contains': return like(value, `%${escapeLike(v as string)}%`);
    case 'starts_with': return like(value, `${escapeLike(v as string)}%`);
    case 'gt': case 'after': return sql<boolean>`${value} > ${v}`;
    case 'gte': return sql<boolean>`${value} >= ${v}`;
    case 'lt': case 'before': return sql<boolean>`${value} < ${v}`;
    case 'lte': return sql<boolean>`${value} <= ${v}`;
    case 'within_days': {
      const from = daysAgo(v as number);
      const to = new Date().toISOString();
      return dateOnly ? sql<boolean>`(${value} >= ${from.slice(0, 10)} and ${value} <= ${to.slice(0, 10)})` : sql<boolean>`(${value} >= ${from} and ${value} <= ${to})`;
    }
    default: return TRUE;
  }
}

function jsonTypesOf(v: unknown): string[] {
  if (typeof v === 'string') return ['text'];
  if (typeof v === 'number') return ['integer', 'real'];
  return [v ? 'true' : 'false'];
}

/** A custom field condition: each compared value only matches stored values of its JSON type. */
function customCondition(j: JsonSql, key: string, op: Condition['op'], v: unknown, dateOnly: boolean): Bool {
  const type = customType(j, key);
  if (op === 'exists') return sql<boolean>`${type} not in ('missing', 'null')`;
  if (op === 'within_days') return and([sql<boolean>`${type} = 'text'`, compare(customValue(j, key, 'text'), op, v, true)]);
  const one = (item: unknown, itemOp: Condition['op']): Bool => {
    const guard = sql<boolean>`${type} in (${sql.join(jsonTypesOf(item))})`;
    const value = customValue(j, key, typeof item === 'number' ? 'number' : 'text');
    return typeof item === 'boolean' ? guard : and([guard, compare(value, itemOp, item, dateOnly)]);
  };
  if (op === 'in') return or((v as unknown[]).map((item) => one(item, 'eq')));
  return one(v, op);
}

function columnCondition(j: JsonSql, column: string, kind: Condition['fieldKind'], op: Condition['op'], v: unknown): Bool {
  const ref = sql.ref(`contacts.${column}`);
  if (kind === 'tags') {
    if (op === 'exists') return tagsNotEmpty(j);
    if (op === 'in') return tagsHaveAny(j, v as string[]);
    return tagsHave(j, v as string);
  }
  if (op === 'exists') return kind === 'text' ? sql<boolean>`(${ref} is not null and ${ref} != '')` : sql<boolean>`${ref} is not null`;
  return and([sql<boolean>`${ref} is not null`, compare(ref, op, v)]);
}

/**
 * A `campaign.<event>` condition: the contact was messaged by the campaign (received), its campaign message reached
 * delivered (or read) or read, or it opened or clicked a link of it (human engagements only: machine-flagged ones do not count).
 */
function campaignCondition(event: CampaignEvent, campaignId: string): Bool {
  switch (event) {
    case 'received':
      return sql<boolean>`exists (select 1 from campaign_recipients as cr where cr.campaign_id = ${campaignId} and cr.contact_id = contacts.id and cr.state = 'messaged')`;
    case 'delivered':
      return sql<boolean>`exists (select 1 from messages as cm where cm.campaign_id = ${campaignId} and cm.contact_id = contacts.id and cm.status in ('delivered', 'read'))`;
    case 'read':
      return sql<boolean>`exists (select 1 from messages as cm where cm.campaign_id = ${campaignId} and cm.contact_id = contacts.id and cm.status = 'read')`;
    case 'opened':
      return sql<boolean>`exists (select 1 from engagements as ce where ce.campaign_id = ${campaignId} and ce.contact_id = contacts.id and ce.type = 'open' and ce.machine = 0)`;
    case 'clicked':
      return sql<boolean>`exists (select 1 from engagements as ce where ce.campaign_id = ${campaignId} and ce.contact_id = contacts.id and ce.type = 'click' and ce.machine = 0)`;
  }
}

/**
 * An `event.<name>` condition: the contact has at least `at_least` custom events of this name (occurred within the last
 * `within_days` days; with data at `property` of the type and value of `equals`). A correlated read of the
 * custom_events_contact_name index (workspace, contact, name, occurred_at): exists() for one, a count otherwise.
 */
function eventCondition(j: JsonSql, name: string, count: EventCount): Bool {
  const parts: Bool[] = [sql<boolean>`ce.workspace_id = contacts.workspace_id`, sql<boolean>`ce.contact_id = contacts.id`, sql<boolean>`ce.name = ${name}`];
  if (count.within_days !== null) parts.push(sql<boolean>`ce.occurred_at >= ${daysAgo(count.within_days)}`);
  if (count.property !== null && count.equals !== null) {
    const v = count.equals;
    parts.push(sql<boolean>`${eventDataType(j, count.property)} in (${sql.join(jsonTypesOf(v))})`);
    if (typeof v !== 'boolean') parts.push(sql<boolean>`${eventDataValue(j, count.property, typeof v === 'number' ? 'number' : 'text')} = ${v}`);
  }
  const where = and(parts);
  if (count.at_least === 1) return sql<boolean>`exists (select 1 from custom_events as ce where ${where})`;
  return sql<boolean>`(select count(*) from custom_events as ce where ${where}) >= ${count.at_least}`;
}

function conditionSql(node: Condition, segments: ResolvedSegments, j: JsonSql): Bool {
  const { op, negate } = positiveOp(node.op);
  let positive: Bool;
  const target = node.target;
  if (target.type === 'column') positive = columnCondition(j, target.column, node.fieldKind, op, node.value);
  else if (target.type === 'custom') positive = customCondition(j, target.key, op, node.value, node.fieldKind === 'date');
  else if (target.type === 'consent') positive = compare(consentStatus(j, target.channel), op, node.value);
  else if (target.type === 'campaign') positive = campaignCondition(target.event, node.value as string);
  else if (target.type === 'event') positive = eventCondition(j, target.name, node.value as EventCount);
  else {
    const segment = segments.get(node.value as string);
    if (!segment) throw new Error(`segment ${String(node.value)} was not resolved before compiling`);
    positive = segment.type === 'static'
      ? sql<boolean>`contacts.id in (select sc.contact_id from segment_contacts as sc where sc.segment_id = ${segment.id})`
      : compileRules(segment.rules, segments, j);
  }
  return negate ? not(positive) : positive;
}

/**
 * Compiles a checked rule tree to a boolean SQL expression over the `contacts` table (never SQL NULL, so `not`
 * groups behave as two-valued logic) in the dialect of `j` (jsonSql(db)). Every user value is a bound parameter.
 */
export function compileRules(node: RuleNode, segments: ResolvedSegments, j: JsonSql): Bool {
  if (node.kind === 'condition') return conditionSql(node, segments, j);
  if (node.kind === 'not') return not(compileRules(node.child, segments, j));
  const parts = node.children.map((child) => compileRules(child, segments, j));
  return node.kind === 'all' ? and(parts) : or(parts);
}
