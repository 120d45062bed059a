// `npm run routes`: writes docs/routes.md, the list of every route by module, from a Beckon app built on a throwaway
// SQLite store (the routes do not depend on the store). test/routes-doc.test.ts fails when the file is out of date.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { routeTable } from '../src/modules.ts';
import { startRuntime } from '../src/runtime.ts';
import { ROUTES_DOC, routesMarkdown } from '../src/system/routes-doc.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'beckon-routes-'));
try {
  const config = loadConfig({ BECKON_DATA_DIR: dataDir, BECKON_LOG_LEVEL: 'silent' });
  const runtime = await startRuntime(config, { logger: pino({ level: 'silent' }), worker: false });
  try {
    await runtime.app.ready();
    const entries = routeTable(runtime.app);
    writeFileSync(resolve(import.meta.dirname, '..', ROUTES_DOC), routesMarkdown(entries));
    process.stdout.write(`wrote ${ROUTES_DOC}: ${entries.length} routes\n`);
  } finally {
    await runtime.stop();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
