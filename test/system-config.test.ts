import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, DEFAULT_WEBHOOK_RETRY_SCHEDULE, loadConfig } from '../src/config.ts';

test('config: defaults, and flags win over the environment', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.dataDir, resolve('./data'));
  assert.equal(config.bootstrapKey, undefined);
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
  assert.equal(config.logLevel, 'info');
  assert.deepEqual(config.webhookAllowPrivate, []);
  assert.deepEqual(config.sandboxDelays, [1000, 2000, 3000]);
  assert.deepEqual(config.webhookRetrySchedule, DEFAULT_WEBHOOK_RETRY_SCHEDULE);
  assert.equal(config.rateLimitMax, 1000);
  assert.equal(config.rateLimitWindowMs, 1000);
  assert.ok(Object.isFrozen(config));

  const env = { BECKON_PORT: '4000', BECKON_HOST: '0.0.0.0', BECKON_DATA_DIR: '/tmp/env-data', BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8, ::1/128, 10.1.2.3', BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_PUBLIC_URL: 'https://beckon.example.com/' };
  const fromEnv = loadConfig(env);
  assert.deepEqual([fromEnv.port, fromEnv.host, fromEnv.dataDir], [4000, '0.0.0.0', '/tmp/env-data']);
  assert.deepEqual(fromEnv.webhookAllowPrivate, ['127.0.0.0/8', '::1/128', '10.1.2.3']);
  assert.deepEqual(fromEnv.sandboxDelays, [0, 0, 0]);
  assert.equal(fromEnv.publicUrl, 'https://beckon.example.com');
  const flagged = loadConfig(env, { port: '0', host: '::1', data: '/tmp/flag-data' });
  assert.deepEqual([flagged.port, flagged.host, flagged.dataDir], [0, '::1', '/tmp/flag-data']);
});

test('config: a bad value is a ConfigError naming the variable', () => {
  const bad: [Record<string, string>, Record<string, string>, string][] = [
    [{ BECKON_PORT: 'abc' }, {}, 'BECKON_PORT'],
    [{ BECKON_PORT: '3000.5' }, {}, 'BECKON_PORT'],
    [{}, { port: '65536' }, '--port'],
    [{}, { host: ' ' }, '--host'],
    [{ BECKON_LOG_LEVEL: 'verbose' }, {}, 'BECKON_LOG_LEVEL'],
    [{ BECKON_PUBLIC_URL: 'beckon.example.com' }, {}, 'BECKON_PUBLIC_URL'],
    [{ BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8,localhost' }, {}, 'BECKON_WEBHOOK_ALLOW_PRIVATE'],
    [{ BECKON_WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/33' }, {}, 'BECKON_WEBHOOK_ALLOW_PRIVATE'],
    [{ BECKON_SANDBOX_DELAYS: '1,2' }, {}, 'BECKON_SANDBOX_DELAYS'],
    [{ BECKON_SANDBOX_DELAYS: '1,-2,3' }, {}, 'BECKON_SANDBOX_DELAYS'],
    [{ BECKON_WEBHOOK_RETRY_SCHEDULE: '5,,10' }, {}, 'BECKON_WEBHOOK_RETRY_SCHEDULE'],
    [{ BECKON_WEBHOOK_TIMEOUT_MS: '0' }, {}, 'BECKON_WEBHOOK_TIMEOUT_MS'],
    [{ BECKON_RATE_LIMIT: 'many' }, {}, 'BECKON_RATE_LIMIT'],
    [{ BECKON_RATE_LIMIT_WINDOW_MS: '0' }, {}, 'BECKON_RATE_LIMIT_WINDOW_MS'],
    [{ BECKON_WORKER_CONCURRENCY: '0' }, {}, 'BECKON_WORKER_CONCURRENCY'],
  ];
  for (const [env, flags, name] of bad) {
    assert.throws(() => loadConfig(env, flags), (err: Error) => err instanceof ConfigError && err.message.startsWith(`${name} `), `${JSON.stringify(env)} ${JSON.stringify(flags)}`);
  }
});

test('config: the README documents every variable with its default', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  for (const variable of CONFIG_VARIABLES) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${variable.name}\``));
    assert.ok(row, `README has no row for ${variable.name}`);
    assert.ok(row.includes(variable.default), `README row for ${variable.name} lacks its default ${variable.default}`);
  }
});
