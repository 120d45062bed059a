import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { contact } from '../../test/campaign-fixtures.ts';
import { activate, outcomes, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

const ab = (a: number, b: number) => ({
  name: 'A/B', trigger: { type: 'api' }, entry: { policy: 'per_correlation_key' }, start: 's',
  steps: {
    s: { type: 'split', branches: [{ percent: a, next: 'a', name: 'variant_a' }, { percent: b, next: 'b' }] },
    a: { type: 'update_contact', add_tags: ['got_a'] },
    b: { type: 'update_contact', add_tags: ['got_b'] },
  },
});

test('split: each run takes one branch at random in the given proportions, recorded as its outcome (its name, else branch_<i>)', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const allB = await activate(beckon, ab(0, 100));
  const allA = await activate(beckon, ab(100, 0));
  const half = await activate(beckon, ab(50, 50));
  const toB = await startRun(beckon, allB, { contact: { uuid: ann }, correlation_key: 'k' });
  assert.deepEqual(outcomes(await waitForRun(beckon, toB.uuid, (r) => r.status === 'completed')), [['s', 'branch_1', null], ['b', 'next', null]]);
  const toA = await startRun(beckon, allA, { contact: { uuid: ann }, correlation_key: 'k' });
  assert.deepEqual(outcomes(await waitForRun(beckon, toA.uuid, (r) => r.status === 'completed')), [['s', 'variant_a', null], ['a', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, ann), ['got_b', 'got_a']);

  // 40 runs at 50/50: both branches are taken (a 1 in 2^39 chance to fail), and each run took exactly one
  const runs = [];
  for (let i = 0; i < 40; i++) runs.push(await startRun(beckon, half, { contact: { uuid: ann }, correlation_key: `k-${i}` }));
  const taken = new Map<string, number>();
  for (const run of runs) {
    const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
    const [first, second] = outcomes(done);
    assert.deepEqual(second, [first[1] === 'variant_a' ? 'a' : 'b', 'next', null]);
    taken.set(first[1], (taken.get(first[1]) ?? 0) + 1);
  }
  assert.deepEqual([...taken.keys()].sort(), ['branch_1', 'variant_a']);
  assert.equal(taken.get('branch_1')! + taken.get('variant_a')!, 40);
});
