import assert from 'node:assert/strict';

/** How a documented example is compared with an answer. */
export interface ShapeOptions {
  /** Paths (a.b.c, [] for array items) whose documented string may be null in Beckon's answer (Contact tables say string|null). */
  nullable?: string[];
  /** Paths holding free-form objects (customFields, metadata …): only their being an object is compared. */
  records?: string[];
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Asserts that `actual` has every key of the documented `example`, nested the same way, each of the same JSON type
 * (a documented null accepts null or a string: Callbell documents those fields as nullable strings). Extra keys are Beckon's additions.
 */
export function assertShape(actual: unknown, example: unknown, options: ShapeOptions = {}, path = ''): void {
  const at = path || '(root)';
  const expected = kind(example);
  const got = kind(actual);
  if (expected === 'null') {
    assert.ok(got === 'null' || got === 'string', `${at}: documented null, got ${got}`);
    return;
  }
  if (got === 'null' && options.nullable?.includes(path)) return;
  assert.equal(got, expected, `${at}: documented ${expected}, got ${got} (${JSON.stringify(actual)})`);
  if (expected === 'array') {
    const items = example as unknown[];
    const values = actual as unknown[];
    if (items.length > 0 && values.length > 0) assertShape(values[0], items[0], options, `${path}[]`);
    return;
  }
  if (expected === 'object') {
    if (options.records?.includes(path)) return;
    for (const key of Object.keys(example as object)) {
      const sub = path ? `${path}.${key}` : key;
      assert.ok(Object.hasOwn(actual as object, key), `${sub}: documented key missing in ${JSON.stringify(actual)}`);
      assertShape((actual as Record<string, unknown>)[key], (example as Record<string, unknown>)[key], options, sub);
    }
  }
}
