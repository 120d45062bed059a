// Compares an answer with a documented Callbell example key by key: the same keys (names and nesting) and the same
// JSON types. Differences Beckon documents (docs/compat-callbell.md) are listed per fixture by path.
import assert from 'node:assert/strict';

/** Allowed differences, by dotted path (array items as `[]`): keys Beckon adds, keys it may omit, values that may be null. */
export interface ShapeAllowances {
  extra?: string[];
  optional?: string[];
  nullable?: string[];
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The differences between `actual` and the documented `example` (empty: same shape). */
export function shapeDiff(actual: unknown, example: unknown, allow: ShapeAllowances = {}, path = ''): string[] {
  const at = path || '(root)';
  if (kind(actual) !== kind(example)) {
    if (actual === null && allow.nullable?.includes(path)) return [];
    if (example === null && allow.nullable?.includes(path)) return [];
    return [`${at}: ${kind(actual)} where the example has ${kind(example)}`];
  }
  if (Array.isArray(example)) {
    const items = actual as unknown[];
    if (example.length === 0) return [];
    if (items.length === 0) return [`${at}: empty where the example has items`];
    return items.flatMap((item) => shapeDiff(item, example[example.length - 1], allow, `${path}[]`));
  }
  if (kind(example) !== 'object') return [];
  const a = actual as Record<string, unknown>;
  const e = example as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(e)) {
    const sub = path ? `${path}.${key}` : key;
    if (!(key in a)) {
      if (!allow.optional?.includes(sub)) problems.push(`${sub}: missing`);
    } else problems.push(...shapeDiff(a[key], e[key], allow, sub));
  }
  for (const key of Object.keys(a)) {
    const sub = path ? `${path}.${key}` : key;
    if (!(key in e) && !allow.extra?.includes(sub)) problems.push(`${sub}: not in the example`);
  }
  return problems;
}

/** Asserts `actual` has the documented example's shape. */
export function assertShape(actual: unknown, example: unknown, allow: ShapeAllowances = {}, what = ''): void {
  assert.deepEqual(shapeDiff(actual, example, allow), [], `${what} differs from Callbell's documented example`);
}
