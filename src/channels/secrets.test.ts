import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { startBeckon, TEST_STORE } from '../../test/helpers.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { sql } from 'kysely';
import { startRuntime } from '../runtime.ts';
import { parseSecretKey, SecretBox, SecretBoxError } from '../lib/secret-box.ts';
import { channelSecrets, findHookChannel, providerChannel } from './service.ts';

const TOKEN = 'EAAJB-very-secret-access-token-4242';
const WHATSAPP = { phone_number_id: '106540352242922', access_token: TOKEN, app_secret: 'app-secret-0123456789', verify_token: 'verify-token-abcdef' };

test('secrets: sealed at rest (never in the store file in clear), bound to their channel, opened for adapters and hooks', async (t) => {
  const key = randomBytes(32);
  const beckon = await startBeckon({ BECKON_SECRET_KEY: key.toString('hex') }, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const channel = (await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WA', config: WHATSAPP } })).json().channel;

  const row = await db.selectFrom('channels').selectAll().where('id', '=', channel.uuid).executeTakeFirstOrThrow();
  assert.equal(row.config, JSON.stringify({ phone_number_id: WHATSAPP.phone_number_id }));
  assert.match(row.secrets ?? '', /^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
  if (TEST_STORE === 'sqlite') {
    await db.executeQuery({ sql: 'PRAGMA wal_checkpoint(TRUNCATE)', parameters: [] } as never);
    for (const file of readdirSync(beckon.dataDir)) {
      assert.ok(!readFileSync(join(beckon.dataDir, file)).includes(TOKEN), `${file} holds the token in clear`);
    }
  } else {
    // PostgreSQL: no column of any channel row holds the token in clear (the whole row as text).
    const { rows } = await sql<{ n: number }>`select count(*) as n from channels c where c::text like ${'%' + TOKEN + '%'}`.execute(db);
    assert.equal(Number(rows[0].n), 0, 'a channel row holds the token in clear');
  }
  assert.ok(!(await beckon.call('GET', `/v1/channels/${channel.uuid}`)).body.includes(TOKEN));

  const box = new SecretBox(key);
  assert.deepEqual(channelSecrets(box, row), { access_token: TOKEN, app_secret: WHATSAPP.app_secret, verify_token: WHATSAPP.verify_token });
  assert.throws(() => channelSecrets(new SecretBox(randomBytes(32)), row), (err: Error) => err instanceof SecretBoxError && /sealed with another secret key/.test(err.message));
  assert.throws(() => channelSecrets(box, { ...row, id: 'another-channel' }), (err: Error) => err instanceof SecretBoxError && /altered or belongs to another record/.test(err.message));

  assert.deepEqual(providerChannel(box, row), { id: channel.uuid, workspaceId: row.workspace_id, type: 'whatsapp', provider: 'whatsapp_cloud', config: { ...WHATSAPP } });
  const hook = await findHookChannel(beckon.runtime.deps, channel.uuid, 'whatsapp_cloud');
  assert.equal(hook?.config.app_secret, WHATSAPP.app_secret);
  assert.equal(await findHookChannel(beckon.runtime.deps, channel.uuid, 'twilio'), undefined, 'a hook of another provider does not find it');
  assert.equal(await findHookChannel(beckon.runtime.deps, '01900000-0000-7000-8000-000000000000', 'whatsapp_cloud'), undefined);
});

test('secrets: without BECKON_SECRET_KEY a key is generated into the data directory (0600) and reused after a restart', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  let again: Awaited<ReturnType<typeof startRuntime>> | undefined;
  t.after(async () => {
    await again?.stop();
    await beckon.stop();
  });
  const file = join(beckon.dataDir, 'secret.key');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  assert.equal(key?.length, 32);
  const channel = (await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WA', config: WHATSAPP } })).json().channel;
  await beckon.runtime.stop();

  const config = loadConfig({ ...beckon.storeEnv, BECKON_LOG_LEVEL: 'silent' });
  again = await startRuntime(config, { logger: pino({ level: 'silent' }), worker: false });
  const row = await again.deps.db.selectFrom('channels').selectAll().where('id', '=', channel.uuid).executeTakeFirstOrThrow();
  assert.equal(providerChannel(again.deps.secrets, row).config.access_token, TOKEN);
  assert.equal(readFileSync(file, 'utf8').trim(), key?.toString('base64'), 'the key file is kept, not regenerated');
});

test('secrets: with another key the API says the secrets cannot be read, adapters get a retryable error, and a PATCH giving them again repairs the channel', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = (await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WA', config: WHATSAPP } })).json().channel;
  const deps = beckon.runtime.deps;
  deps.secrets = new SecretBox(randomBytes(32));

  const read = (await beckon.call('GET', `/v1/channels/${channel.uuid}`)).json().channel;
  assert.deepEqual(read.secrets, {});
  assert.match(read.secrets_error, /^the secrets cannot be decrypted: sealed with another secret key \(key id [0-9a-f]{8}; the configured key is [0-9a-f]{8}\)/);
  const row = await deps.db.selectFrom('channels').selectAll().where('id', '=', channel.uuid).executeTakeFirstOrThrow();
  assert.throws(() => providerChannel(deps.secrets, row), (err: Error & { code?: string; retryable?: boolean }) => err.code === 'channel_secrets_unreadable' && err.retryable === true);

  const partial = await beckon.call('PATCH', `/v1/channels/${channel.uuid}`, { body: { config: { access_token: TOKEN } } });
  assert.equal(partial.statusCode, 400);
  assert.deepEqual(partial.json().errors.map((e: { path: string }) => e.path), ['body.config.app_secret', 'body.config.verify_token']);
  const repaired = await beckon.call('PATCH', `/v1/channels/${channel.uuid}`, { body: { config: { access_token: TOKEN, app_secret: WHATSAPP.app_secret, verify_token: WHATSAPP.verify_token } } });
  assert.equal(repaired.statusCode, 200);
  assert.equal(repaired.json().channel.secrets_error, null);
  assert.deepEqual(repaired.json().channel.secrets, { access_token: '…4242', app_secret: '…6789', verify_token: '…cdef' });
});

test('secret keys: 64 hex characters or base64 of 32 bytes; anything else stops the start naming BECKON_SECRET_KEY', () => {
  const key = randomBytes(32);
  for (const written of [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url'), ` ${key.toString('base64')}\n`]) {
    assert.deepEqual(parseSecretKey(written), key, written);
  }
  for (const bad of ['', 'secret', key.toString('hex').slice(2), randomBytes(16).toString('base64'), randomBytes(33).toString('base64')]) {
    assert.equal(parseSecretKey(bad), null, bad);
  }
  assert.deepEqual(loadConfig({ BECKON_SECRET_KEY: key.toString('base64') }).secretKey, key);
  assert.equal(loadConfig({}).secretKey, undefined);
  assert.throws(() => loadConfig({ BECKON_SECRET_KEY: 'hunter2' }), (err: Error) => err instanceof ConfigError && err.message.startsWith('BECKON_SECRET_KEY must be 32 bytes'));
});
