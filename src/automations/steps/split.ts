import type { FieldError } from '../../errors.ts';
import { unknownKeys, type Edge, type StepKind } from './types.ts';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

function branchesOf(step: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(step.branches) ? step.branches.filter((b) => b !== null && typeof b === 'object' && !Array.isArray(b)) : [];
}

/** The edge name of a split's branch: its `name`, else `branch_<i>`. */
function branchName(branch: Record<string, unknown>, i: number): string {
  return typeof branch.name === 'string' ? branch.name : `branch_${i}`;
}

/**
 * `split`: sends each run down one of `branches` ([{percent, next, name?}], 2 to 10, whole percentages summing to
 * 100) at random in those proportions (A/B tests); the branch taken (its `name`, else `branch_<i>`) is the outcome.
 */
export const splitStep: StepKind = {
  waits: false,
  check(step, path) {
    const out: FieldError[] = unknownKeys(step, ['branches'], path);
    if (!Array.isArray(step.branches) || step.branches.length < 2 || step.branches.length > 10) {
      out.push({ path: `${path}.branches`, message: 'must be a list of 2 to 10 branches {percent, next, name?}' });
      return out;
    }
    let total = 0;
    const names = new Set<string>();
    step.branches.forEach((b: unknown, i: number) => {
      const at = `${path}.branches.${i}`;
      if (b === null || typeof b !== 'object' || Array.isArray(b)) {
        out.push({ path: at, message: 'must be an object {percent, next, name?}' });
        return;
      }
      const branch = b as Record<string, unknown>;
      for (const key of Object.keys(branch)) if (!['percent', 'next', 'name'].includes(key)) out.push({ path: `${at}.${key}`, message: 'is not a setting of a branch' });
      if (typeof branch.percent !== 'number' || !Number.isInteger(branch.percent) || branch.percent < 0 || branch.percent > 100) out.push({ path: `${at}.percent`, message: 'must be a whole number from 0 to 100' });
      else total += branch.percent;
      if (typeof branch.next !== 'string') out.push({ path: `${at}.next`, message: 'must be a step id' });
      if (branch.name !== undefined && (typeof branch.name !== 'string' || !NAME.test(branch.name))) out.push({ path: `${at}.name`, message: 'must be 1 to 64 letters, digits, _ or -' });
      const name = branchName(branch, i);
      if (names.has(name)) out.push({ path: `${at}.name`, message: `"${name}" names another branch` });
      names.add(name);
    });
    if (out.length === 0 && total !== 100) out.push({ path: `${path}.branches`, message: `percentages must sum to 100 (they sum to ${total})` });
    return out;
  },
  edges(step, path) {
    const out: Edge[] = [];
    branchesOf(step).forEach((b, i) => {
      if (typeof b.next === 'string') out.push({ path: `${path}.branches.${i}.next`, name: branchName(b, i), target: b.next });
    });
    return out;
  },
  async run(_trx, _deps, _run, step) {
    const branches = branchesOf(step);
    const draw = Math.random() * 100;
    let upTo = 0;
    for (let i = 0; i < branches.length; i++) {
      upTo += branches[i].percent as number;
      if (draw < upTo) return { edge: branchName(branches[i], i) };
    }
    const last = branches.findLastIndex((b) => (b.percent as number) > 0);
    return { edge: branchName(branches[last], last) };
  },
};
