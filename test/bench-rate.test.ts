// The open-loop sender of the pipeline-rate benchmark (bench/lib/load.ts runAtRate) and its options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAtRate } from '../bench/lib/load.ts';
import { BENCHMARKS, parseOptions } from '../bench/lib/options.ts';
import { waitFor } from './helpers.ts';

test('bench pipeline-rate options: full 1,000 msg/s for 30 s, quick 100 for 3, flags override, part of both runs', () => {
  const full = parseOptions([])!;
  assert.deepEqual([full.rate, full.rateDuration, full.only.includes('pipeline-rate')], [1000, 30, true]);
  const quick = parseOptions(['--quick'])!;
  assert.deepEqual([quick.rate, quick.rateDuration, quick.only.includes('pipeline-rate')], [100, 3, true]);
  const set = parseOptions(['--only', 'pipeline,pipeline-rate', '--rate', '500', '--rate-duration', '10'])!;
  assert.deepEqual([set.rate, set.rateDuration, set.only], [500, 10, ['pipeline', 'pipeline-rate']]);
  assert.deepEqual(BENCHMARKS.slice(2, 4), ['pipeline', 'pipeline-rate'], 'the fixed rate runs right after the saturating pipeline');
  assert.throws(() => parseOptions(['--rate', '0']), /--rate must be a positive integer, got "0"/);
  assert.throws(() => parseOptions(['--rate-duration', 'x']), /--rate-duration must be a positive integer, got "x"/);
});

test('runAtRate starts every task in order, none before its time, when the in-flight bound is never reached', async () => {
  const rate = 2000;
  const startedAt: number[] = [];
  const run = runAtRate(40, rate, 40, async (i) => {
    startedAt[i] = performance.now();
  });
  const result = await run.done;
  assert.deepEqual({ sent: result.sent, missed: result.missed, settled: result.settled, failed: result.failed }, { sent: 40, missed: 0, settled: 40, failed: 0 });
  assert.equal(startedAt.length, 40);
  for (let i = 0; i < 40; i++) assert.ok(startedAt[i] >= result.startedAt + i * (1000 / rate), `task ${i} started on or after its time`);
  assert.ok(result.lastSentAt !== null && result.lastSentAt >= result.startedAt + 39 * (1000 / rate) && result.lastSentAt <= startedAt[39], 'the last send is when the last task was due or later, and not after it started');
  assert.ok(result.lag.p50 !== null && result.lag.p50 >= 0);
});

test('runAtRate does not wait for answers: a task due while the bound is in flight is missed, not delayed; failures are counted', async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const started: number[] = [];
  const run = runAtRate(10, 1000, 3, async (i) => {
    started.push(i);
    await gate;
    if (i === 1) throw new Error('refused');
  });
  // the first three hold the three slots until the gate opens, so the seven others come due with no slot free
  await waitFor('the seven other sends to be missed', async () => run.progress().missed === 7, 10_000);
  assert.deepEqual(run.progress(), { sent: 3, missed: 7, settled: 0, failed: 0 });
  open();
  const result = await run.done;
  assert.deepEqual(started, [0, 1, 2]);
  assert.deepEqual({ sent: result.sent, missed: result.missed, settled: result.settled, failed: result.failed, errors: result.errors }, { sent: 3, missed: 7, settled: 3, failed: 1, errors: ['refused'] });
  assert.deepEqual(result.missedBySecond, [7], 'all ten were due in the first second');
});

test('runAtRate stops starting tasks once abort() turns true and counts the rest as missed', async () => {
  let stop = false;
  const run = runAtRate(1000, 1000, 1000, async (i) => {
    if (i === 4) stop = true;
  }, () => stop);
  const result = await run.done;
  assert.deepEqual({ sent: result.sent, missed: result.missed, settled: result.settled }, { sent: 5, missed: 995, settled: 5 });
  assert.deepEqual(result.missedBySecond, [995], 'the rest were due in the first second');
});

test('runAtRate counts a missed task in the second of the schedule it was due in', async () => {
  let stop = false;
  // 4 per second: tasks 0-3 due in second 0, 4-7 in second 1, 8-9 in second 2; abort after task 5 misses 6-9
  const run = runAtRate(10, 4, 10, async (i) => {
    if (i === 5) stop = true;
  }, () => stop);
  const result = await run.done;
  assert.deepEqual({ sent: result.sent, missed: result.missed }, { sent: 6, missed: 4 });
  assert.deepEqual(result.missedBySecond, [0, 2, 2]);
});
