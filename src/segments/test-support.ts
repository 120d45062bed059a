import assert from 'node:assert/strict';
import type { TestBeckon } from '../../test/helpers.ts';

/** The names of the contacts a segment rule tree matches (POST /v1/segments/preview), sorted; asserts the count agrees. */
export async function matching(beckon: TestBeckon, rules: unknown): Promise<string[]> {
  const response = await beckon.call('POST', '/v1/segments/preview', { body: { rules, sample_size: 100 } });
  assert.equal(response.statusCode, 200, `${JSON.stringify(rules)}: ${response.body}`);
  const names = response.json().sample.map((c: { name: string }) => c.name).sort();
  assert.equal(response.json().count, names.length);
  return names;
}

/** The ISO time `n` days before now. */
export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
