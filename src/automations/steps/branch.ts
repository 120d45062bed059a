import type { FieldError } from '../../errors.ts';
import { parseJson } from '../../lib/json.ts';
import type { ContactsTable } from '../../db/types.ts';
import { checkConditionRefs, checkContactCondition, conditionKind, contactConditionHolds } from './conditions.ts';
import { edgeShape, unknownKeys, type Edge, type StepKind } from './types.ts';

/** The operators of a branch condition. */
export const BRANCH_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'not_exists'] as const;
const FIELD = /^(trigger|vars)(\.[A-Za-z0-9_-]+)+$|^contact\.(name|phone|email|tags|custom_fields\.[A-Za-z0-9_-]+)$/;

/** The value a condition's `field` names for a run: trigger data, run variables or the contact. */
export function fieldValue(field: string, trigger: unknown, vars: unknown, contact: ContactsTable): unknown {
  const [root, ...rest] = field.split('.');
  let value: unknown;
  if (root === 'trigger') value = trigger;
  else if (root === 'vars') value = vars;
  else {
    value = { name: contact.name, phone: contact.phone, email: contact.email, tags: parseJson<string[]>(contact.tags, []), custom_fields: parseJson<Record<string, unknown>>(contact.custom_fields, {}) };
  }
  for (const key of rest) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** True when `value` satisfies `op` against `expected`. */
export function matches(value: unknown, op: string, expected: unknown): boolean {
  switch (op) {
    case 'exists': return value !== undefined && value !== null;
    case 'not_exists': return value === undefined || value === null;
    case 'eq': return value === expected;
    case 'neq': return value !== expected;
    case 'contains':
      if (Array.isArray(value)) return value.includes(expected);
      return typeof value === 'string' && typeof expected === 'string' && value.includes(expected);
    default: {
      if (typeof value !== typeof expected || (typeof value !== 'number' && typeof value !== 'string')) return false;
      const a = value as number | string;
      const b = expected as number | string;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
  }
}

function conditionsOf(step: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(step.conditions) ? step.conditions.filter((c) => c !== null && typeof c === 'object' && !Array.isArray(c)) : [];
}

/**
 * `branch`: the first of `conditions` that holds gives the edge; none does → `default`. A condition is
 * {field, op, value, next} (field `trigger.<path>`, `vars.<path>` or `contact.name|phone|email|tags|custom_fields.<key>`),
 * {segment, op: in | not_in, next} (the contact is or is not in a static or dynamic segment), {rule, next} (a rule tree
 * of the segment rule language, for the run's contact) or {last_message, next} (the last message the run sent reached
 * that status: enqueued < sent < delivered < read; failed) or {time: {between: ["09:00", "18:00"], days?: [1…7], time_zone?}, next}
 * (the run's moment, local to time_zone (default UTC), is within those hours on one of those ISO weekdays).
 */
export const branchStep: StepKind = {
  waits: false,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['conditions', 'default'], path), ...edgeShape(step, ['default'], path, ['default'])];
    if (!Array.isArray(step.conditions) || step.conditions.length === 0 || step.conditions.length > 20) {
      out.push({ path: `${path}.conditions`, message: 'must be a list of 1 to 20 conditions' });
      return out;
    }
    step.conditions.forEach((c: unknown, i: number) => {
      const at = `${path}.conditions.${i}`;
      if (c === null || typeof c !== 'object' || Array.isArray(c)) {
        out.push({ path: at, message: 'must be an object {field, op, value, next}, {segment, op, next}, {rule, next}, {last_message, next} or {time, next}' });
        return;
      }
      const cond = c as Record<string, unknown>;
      if (typeof cond.next !== 'string') out.push({ path: `${at}.next`, message: 'must be a step id' });
      if (conditionKind(cond) !== 'field') {
        out.push(...checkContactCondition(cond, at));
        return;
      }
      for (const key of Object.keys(cond)) if (!['field', 'op', 'value', 'next'].includes(key)) out.push({ path: `${at}.${key}`, message: 'is not a setting of a condition' });
      if (typeof cond.field !== 'string' || !FIELD.test(cond.field)) out.push({ path: `${at}.field`, message: 'must be trigger.<path>, vars.<path> or contact.name|phone|email|tags|custom_fields.<key>' });
      if (typeof cond.op !== 'string' || !(BRANCH_OPS as readonly string[]).includes(cond.op)) out.push({ path: `${at}.op`, message: `must be one of ${BRANCH_OPS.join(', ')}` });
      else if (cond.op !== 'exists' && cond.op !== 'not_exists' && !['string', 'number', 'boolean'].includes(typeof cond.value)) out.push({ path: `${at}.value`, message: 'must be a string, number or boolean' });
    });
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    const out: FieldError[] = [];
    const conditions = step.conditions as Record<string, unknown>[];
    for (let i = 0; i < conditions.length; i++) out.push(...await checkConditionRefs(db, workspaceId, conditions[i], `${path}.conditions.${i}`));
    return out;
  },
  edges(step, path) {
    const out: Edge[] = [];
    conditionsOf(step).forEach((c, i) => {
      if (typeof c.next === 'string') out.push({ path: `${path}.conditions.${i}.next`, name: `condition_${i}`, target: c.next });
    });
    if (typeof step.default === 'string') out.push({ path: `${path}.default`, name: 'default', target: step.default });
    return out;
  },
  async run(trx, _deps, run, step) {
    const trigger = parseJson<unknown>(run.row.data, {});
    const vars = parseJson<unknown>(run.row.variables, {});
    const conditions = conditionsOf(step);
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i];
      const holds = conditionKind(c) === 'field' ? matches(fieldValue(c.field as string, trigger, vars, run.contact), c.op as string, c.value) : await contactConditionHolds(trx, run, c);
      if (holds) return { edge: `condition_${i}` };
    }
    return { edge: 'default' };
  },
};
