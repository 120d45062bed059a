import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDER_MODULES } from './index.ts';
import { CHANNEL_TYPES } from './module.ts';

const here = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'test-support.ts' ? [path] : [];
  });
}

test('provider modules: one per name, each serving known channel types, with a rate setting', () => {
  const names = PROVIDER_MODULES.map((m) => m.name);
  assert.deepEqual(names, ['sandbox', 'whatsapp_cloud', 'twilio', 'smtp']);
  for (const module of PROVIDER_MODULES) {
    assert.ok(module.types.length > 0 && module.types.every((t) => (CHANNEL_TYPES as readonly string[]).includes(t)), module.name);
    assert.equal(module.settings.fields.rate_per_second?.kind, 'rate', module.name);
  }
});

test('providers reach messages, contacts, channels and templates only through the port: no provider file imports them', () => {
  const forbidden = /from '(?:\.\.\/)+(messages|contacts|channels|templates)\//;
  const offenders = sources(here).filter((file) => forbidden.test(readFileSync(file, 'utf8'))).map((file) => relative(here, file));
  assert.deepEqual(offenders, []);
});
