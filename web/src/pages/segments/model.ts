// The rule builder's model: an editable tree of groups and conditions, the fields and operators of the API's rule
// grammar (docs/segments.md), and the two-way translation between the tree and the API's JSON rules, with the JSON
// path of every node so the API's field errors land on the right control.
import type { Schema } from '../../../../sdk/src/index.ts';

/** The kinds of value a condition compares (the API's FieldKind). */
export type Kind = 'text' | 'tags' | 'instant' | 'number' | 'date' | 'boolean' | 'any' | 'consent' | 'segment' | 'campaign' | 'event';

/** Operators allowed per kind, as the API checks them. */
export const OPS_BY_KIND: Record<Kind, readonly string[]> = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'exists', 'not_exists'],
  tags: ['contains', 'not_contains', 'in', 'not_in', 'exists', 'not_exists'],
  instant: ['within_days', 'before', 'after', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'],
  date: ['eq', 'neq', 'before', 'after', 'gt', 'gte', 'lt', 'lte', 'within_days', 'exists', 'not_exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists'],
  boolean: ['eq', 'neq', 'exists', 'not_exists'],
  any: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists'],
  consent: ['eq', 'neq', 'in', 'not_in'],
  segment: ['eq', 'neq'],
  campaign: ['eq', 'neq'],
  event: ['performed', 'not_performed'],
};

/** The contact's own fields and their kinds. */
export const COLUMN_FIELDS: Record<string, Kind> = {
  name: 'text', email: 'text', phone: 'text', source: 'text', tags: 'tags', created_at: 'instant', updated_at: 'instant', last_inbound_at: 'instant',
};
/** The consent fields, one per channel type. */
export const CONSENT_FIELDS = ['consent.whatsapp', 'consent.sms', 'consent.email'] as const;
/** The consent statuses a consent condition compares. */
export const CONSENT_VALUES = ['opted_in', 'opted_out', 'unknown'] as const;
/** The campaign activity fields. */
export const CAMPAIGN_FIELDS = ['campaign.received', 'campaign.delivered', 'campaign.read', 'campaign.opened', 'campaign.clicked'] as const;
/** The field value that stands for `event.<name>` (the name is its own input). */
export const EVENT_FIELD = 'event';

/** A condition being edited: every value kept as the text of its control. */
export interface CondNode {
  id: number;
  type: 'cond';
  field: string;
  op: string;
  value: string;
  /** For in / not_in on consent: the statuses ticked. */
  values: string[];
  event: { name: string; atLeast: string; withinDays: string; property: string; equals: string };
  /** Whether its value was edited (an untouched empty value's error waits for a save). */
  touched: boolean;
}
/** A group being edited: all or any of its children, possibly negated. */
export interface GroupNode {
  id: number;
  type: 'group';
  mode: 'all' | 'any';
  negate: boolean;
  children: EditNode[];
}
/** A node of the tree being edited. */
export type EditNode = CondNode | GroupNode;

let nextId = 1;

/** A new condition (tags contains …). */
export function newCond(field = 'tags', op = 'contains'): CondNode {
  return { id: nextId++, type: 'cond', field, op, value: '', values: [], event: { name: '', atLeast: '', withinDays: '', property: '', equals: '' }, touched: false };
}
/** A new group holding one new condition. */
export function newGroup(mode: 'all' | 'any' = 'all', children: EditNode[] = [newCond()]): GroupNode {
  return { id: nextId++, type: 'group', mode, negate: false, children };
}

/** The kind of a field, given the workspace's custom field definitions. */
export function kindOf(field: string, customFields: Schema<'CustomField'>[]): Kind {
  if (field in COLUMN_FIELDS) return COLUMN_FIELDS[field];
  if (field.startsWith('consent.')) return 'consent';
  if (field === 'segment') return 'segment';
  if (field.startsWith('campaign.')) return 'campaign';
  if (field === EVENT_FIELD) return 'event';
  if (field.startsWith('custom_fields.')) {
    const type = customFields.find((f) => `custom_fields.${f.key}` === field)?.type;
    if (type === undefined) return 'any';
    return type === 'number' ? 'number' : type === 'date' ? 'date' : type === 'checkbox' ? 'boolean' : 'text';
  }
  return 'text';
}

/** Whether an operator takes a value. */
export const takesValue = (op: string) => op !== 'exists' && op !== 'not_exists';

/** A free-typed value as JSON: a number or true/false when it reads as one, else the text. */
function loose(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** A number control's text as a number (an empty control stays empty, so the API names it). */
const numberOr = (text: string): number | string => (text.trim() === '' ? '' : Number(text));

/** The JSON value of a condition (undefined: no value key). */
function valueOf(cond: CondNode, kind: Kind): unknown {
  if (kind === 'event') {
    const e = cond.event;
    const value: Record<string, unknown> = {};
    if (e.atLeast.trim()) value.at_least = Number(e.atLeast);
    if (e.withinDays.trim()) value.within_days = Number(e.withinDays);
    if (e.property.trim()) value.property = e.property.trim();
    if (e.equals !== '') value.equals = loose(e.equals);
    return Object.keys(value).length ? value : undefined;
  }
  if (!takesValue(cond.op)) return undefined;
  if (cond.op === 'within_days') return numberOr(cond.value);
  if (cond.op === 'in' || cond.op === 'not_in') {
    if (kind === 'consent') return cond.values;
    const items = cond.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return kind === 'number' ? items.map(Number) : kind === 'any' ? items.map(loose) : items;
  }
  if (kind === 'number') return numberOr(cond.value);
  if (kind === 'boolean') return cond.value === 'true';
  if (kind === 'any') return loose(cond.value);
  return cond.value;
}

/** The API's JSON for a condition. */
function condJson(cond: CondNode, customFields: Schema<'CustomField'>[]): Record<string, unknown> {
  const kind = kindOf(cond.field, customFields);
  const field = cond.field === EVENT_FIELD ? `event.${cond.event.name.trim()}` : cond.field;
  const value = valueOf(cond, kind);
  return value === undefined ? { field, op: cond.op } : { field, op: cond.op, value };
}

/** The API's JSON rules for a tree, and the JSON path (under `rules`) of every node by id. */
export function toRules(root: GroupNode, customFields: Schema<'CustomField'>[]): { rules: unknown; paths: Map<number, string> } {
  const paths = new Map<number, string>();
  const walk = (node: EditNode, path: string): unknown => {
    if (node.type === 'cond') {
      paths.set(node.id, path);
      return condJson(node, customFields);
    }
    const inner = node.negate ? `${path}.not` : path;
    paths.set(node.id, inner);
    const group = { [node.mode]: node.children.map((child, i) => walk(child, `${inner}.${node.mode}.${i}`)) };
    return node.negate ? { not: group } : group;
  };
  return { rules: walk(root, 'rules'), paths };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

/** An editable tree from the API's JSON rules (a bare condition or a negated condition becomes a group). */
export function fromRules(rules: unknown): GroupNode {
  const node = parse(rules);
  return node.type === 'group' ? node : newGroup('all', [node]);
}

function parse(raw: unknown): EditNode {
  if (!isObject(raw)) return newCond();
  if (Array.isArray(raw.all) || Array.isArray(raw.any)) {
    const mode = Array.isArray(raw.all) ? 'all' : 'any';
    return newGroup(mode, (raw[mode] as unknown[]).map(parse));
  }
  if ('not' in raw) {
    const inner = parse(raw.not);
    const group = inner.type === 'group' ? inner : newGroup('all', [inner]);
    return { ...group, negate: !group.negate };
  }
  const field = text(raw.field);
  const cond = newCond(field.startsWith('event.') ? EVENT_FIELD : field, text(raw.op));
  cond.touched = true;
  if (field.startsWith('event.')) {
    const v = isObject(raw.value) ? raw.value : {};
    cond.event = { name: field.slice('event.'.length), atLeast: text(v.at_least), withinDays: text(v.within_days), property: text(v.property), equals: text(v.equals) };
  } else if (Array.isArray(raw.value)) {
    cond.values = raw.value.map(text);
    cond.value = cond.values.join(', ');
  } else {
    cond.value = text(raw.value);
  }
  return cond;
}

/** The errors of the API's answer that belong to a condition at `path`, by control (field, op, value, event keys). */
export function condErrors(fields: Record<string, string>, path: string | undefined): Record<string, string> {
  const mine: Record<string, string> = {};
  if (!path) return mine;
  for (const [key, message] of Object.entries(fields)) {
    if (key === path) mine.node = message;
    else if (key.startsWith(path + '.')) {
      const rest = key.slice(path.length + 1).split('.');
      const control = rest[0] === 'value' && rest[1] && !/^\d+$/.test(rest[1]) ? `value.${rest[1]}` : rest[0];
      mine[control] ??= message;
    }
  }
  return mine;
}

/** The error of the API's answer about a group itself (e.g. an empty list), if any. */
export function groupError(fields: Record<string, string>, path: string | undefined, mode: string): string | undefined {
  return path === undefined ? undefined : (fields[`${path}.${mode}`] ?? fields[path]);
}

/** A copy of the tree where node `id` is replaced by `fn(node)`, or removed when `fn` answers null. */
export function editNode(root: GroupNode, id: number, fn: (node: EditNode) => EditNode | null): GroupNode {
  const walk = (node: EditNode): EditNode | null => {
    if (node.id === id) return fn(node);
    if (node.type === 'cond') return node;
    return { ...node, children: node.children.map(walk).filter((n): n is EditNode => n !== null) };
  };
  return (walk(root) as GroupNode | null) ?? newGroup();
}

/** Whether some condition still waits for its value (the live count waits for it instead of asking the API). */
export function incomplete(node: EditNode): boolean {
  if (node.type === 'group') return node.children.some(incomplete);
  if (node.field === EVENT_FIELD) return node.event.name.trim() === '';
  if (!takesValue(node.op)) return false;
  if (node.field.startsWith('consent.') && (node.op === 'in' || node.op === 'not_in')) return node.values.length === 0;
  return node.value.trim() === '';
}
