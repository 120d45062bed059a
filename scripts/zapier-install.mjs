// Root postinstall: installs the Zapier app's own dependencies (integrations/zapier, its package-lock.json) with
// `npm ci`, only when they are missing or the lock file changed since the last install (a hash stamp in its node_modules).
// Plain .mjs: npm may run it with an older Node than the project's pinned one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const app = join(import.meta.dirname, '..', 'integrations', 'zapier');
const lock = join(app, 'package-lock.json');
const stamp = join(app, 'node_modules', '.beckon-lock-sha256');
if (!existsSync(lock) || process.env.BECKON_SKIP_ZAPIER_INSTALL) process.exit(0);
const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const result = spawnSync(npm[0], [...npm[1], 'ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, hash);
