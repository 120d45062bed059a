import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startRuntime } from './runtime.ts';
import { connectSqlite } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createWorkspaceWithDefaults } from './bootstrap.ts';
import { findWorkspaceByName } from './auth/queries.ts';
import { createApiKey } from './auth/service.ts';
import { SCOPES, type Scope } from './auth/scopes.ts';
import { AppError } from './errors.ts';

const USAGE = `Usage:
  beckon start [--port N] [--host H] [--data DIR]    run the API and the worker in one process
  beckon migrate [--data DIR]                        bring the store's schema up to date
  beckon workspaces create NAME [--data DIR]         create a workspace; prints its admin key
  beckon keys create --workspace NAME --name LABEL [--scopes admin,full,read] [--data DIR]
                                                     create an API key; prints the key alone
Environment variables are documented in README.md; flags win over them.`;

async function start(flags: { port?: string; host?: string; data?: string }): Promise<void> {
  const config = loadConfig(process.env, flags);
  const runtime = await startRuntime(config);
  const { app } = runtime;
  await app.listen({ port: config.port, host: config.host });
  if (runtime.createdKey) {
    process.stdout.write(`\nBeckon created the workspace "default" with a sandbox WhatsApp channel.\nAdmin API key (shown once, keep it): ${runtime.createdKey}\n\n`);
  }
  app.log.info({ url: `http://${config.host}:${config.port}`, data: config.dataDir }, 'beckon is ready');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining in-flight work');
    runtime.stop().then(() => process.exit(0), (err) => {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function withStore<T>(data: string | undefined, fn: (db: ReturnType<typeof connectSqlite>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { data });
  const db = connectSqlite(config.dataDir);
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

function parseScopes(raw: string | undefined): Scope[] {
  const scopes = (raw ?? 'full').split(',').map((s) => s.trim()).filter(Boolean);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new ConfigError(`unknown scope "${scope}"; use ${SCOPES.join(', ')}`);
  }
  return scopes as Scope[];
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' },
      workspace: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (command === 'start') return start(values);
  if (command === 'migrate') {
    const applied = await withStore(values.data, migrateToLatest);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    return;
  }
  if (command === 'workspaces' && sub === 'create' && arg) {
    const { secret } = await withStore(values.data, (db) => createWorkspaceWithDefaults(db, arg));
    process.stdout.write(secret + '\n');
    return;
  }
  if (command === 'keys' && sub === 'create') {
    if (!values.workspace || !values.name) throw new ConfigError('keys create needs --workspace NAME and --name LABEL');
    const scopes = parseScopes(values.scopes);
    const secret = await withStore(values.data, async (db) => {
      const workspace = await findWorkspaceByName(db, values.workspace!);
      if (!workspace) throw new ConfigError(`no workspace named "${values.workspace}"`);
      return (await createApiKey(db, workspace.id, values.name!, scopes)).secret;
    });
    process.stdout.write(secret + '\n');
    return;
  }
  throw new ConfigError(`unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err) => {
  const known = err instanceof ConfigError || err instanceof AppError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`beckon: ${known ? (err as Error).message : (err as Error).stack}\n`);
  process.exit(known ? 2 : 1);
});
