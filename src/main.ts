import { enableCompileCache } from 'node:module';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config, type ConfigFlags } from './config.ts';
import type { Db, Store } from './db/connect.ts';
import { SCOPES, type Scope } from './auth/scopes.ts';
import { AppError } from './errors.ts';
// The server and the store are imported when a command needs them, so --help and bad flags answer at once.

const USAGE = `Beckon: self-hosted customer messaging (WhatsApp, SMS, email), contacts and signed webhooks.

Usage:
  beckon start [--port N] [--host H] [--data DIR] [--database-url URL] [--role api|worker|all]
                                                     run the API and the job runners (role all, the default), or
                                                     only the API or only the runners (PostgreSQL, many processes)
  beckon migrate [--data DIR]                        bring the store's schema up to date
  beckon workspaces create NAME [--data DIR]         create a workspace; prints its admin key
  beckon keys create --workspace NAME --name LABEL [--scopes read,full,admin] [--data DIR]
                                                     create an API key (default scope full); prints the key alone
  beckon users create --email E --name N [--role admin|agent] [--password P] [--workspace NAME] [--data DIR]
                                                     create a user (default role agent, workspace default); prints
                                                     its uuid, and without --password its invitation link
  beckon import contacts FILE --workspace NAME [--map column=field,...] [--data DIR]
                                                     import a CSV (or .ndjson) file of contacts with a progress bar
  beckon backup FILE [--data DIR]                    write a consistent copy of the SQLite store, even while Beckon runs
                                                     (keep the secret key with it: see docs/backups.md)
  beckon restore FILE [--data DIR]                   check a backup and put it in place of a stopped store (the old one
                                                     is kept aside); on PostgreSQL use pg_dump or PITR instead
  beckon --help                                      this text

Environment (flags win over it):
${CONFIG_VARIABLES.map((v) => `  ${v.name.padEnd(34)} ${v.meaning} (default ${v.default})`).join('\n')}

A bad value exits with status 2 and a message naming the variable. SIGTERM or Ctrl-C drains in-flight
requests and jobs, then exits 0 (a second signal exits at once).`;

async function start(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(process.env, flags);
  // cache compiled (and type-stripped) modules between starts: the second start skips most of the compile work (bin/beckon.mjs,
  // which `npm start` runs, turns it on before main.ts itself is read; here it covers `node src/main.ts start`)
  enableCompileCache();
  // on the embedded store the jobs run on a worker thread of their own (BECKON_WORKER_THREAD=0: on this one), started
  // first so it loads its modules on the other core while this thread loads the server and opens the store
  const options = { thread: config.workerThread };
  const { preloadJobThread, wantsJobThread } = await import('./jobs/worker-thread-host.ts');
  if (wantsJobThread(config, options)) preloadJobThread();
  const { startRuntime } = await import('./runtime.ts');
  const runtime = await startRuntime(config, options);
  const { app } = runtime;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await runtime.stop();
    const code = (err as { code?: string }).code;
    throw new ConfigError(`cannot listen on ${config.host}:${config.port}${code ? ` (${code})` : ''}: ${(err as Error).message}`);
  }
  const { port } = app.server.address() as AddressInfo;
  if (runtime.createdKey) {
    process.stdout.write(`\nBeckon created the workspace "default" with a sandbox WhatsApp channel.\nAdmin API key (shown once, keep it): ${runtime.createdKey}\n\n`);
  }
  if (runtime.adminLink) {
    process.stdout.write(`First admin user: open this one-time link to choose your email and password (valid ${config.invitationTtlHours} h):\n${runtime.adminLink}\n\n`);
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const store = config.databaseUrl ? { database: config.databaseUrl.replace(/:[^:@/]*@/, ':***@') } : { data: config.dataDir };
  app.log.info({ url: `http://${host}:${port}`, port, role: config.role, ...store, ...(config.role === 'worker' ? {} : { docs: `http://${host}:${port}/docs` }) }, 'beckon is ready');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'draining in-flight work');
    runtime.stop().then(() => {
      app.log.info('stopped');
      process.exit(0);
    }, (err) => {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Opens the store named by --data or the environment, migrates it unless told not to, and runs `fn` on it. */
async function withStore<T>(flags: ConfigFlags, fn: (db: Db, store: Store, config: Config) => Promise<T>, migrate = true): Promise<T> {
  const config = loadConfig(process.env, flags);
  const { connectStore } = await import('./db/connect.ts');
  const { migrateToLatest } = await import('./db/migrate.ts');
  const store = await connectStore(config);
  try {
    // Processes migrating together against one PostgreSQL take turns (a no-op lock on SQLite).
    if (migrate) await store.withStartupLock(() => migrateToLatest(store.db));
    return await fn(store.db, store, config);
  } finally {
    await store.close();
  }
}

function parseScopes(raw: string | undefined): Scope[] {
  const scopes = (raw ?? 'full').split(',').map((s) => s.trim()).filter(Boolean);
  if (scopes.length === 0) throw new ConfigError(`--scopes needs at least one of ${SCOPES.join(', ')}`);
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new ConfigError(`unknown scope "${scope}" in --scopes; use ${SCOPES.join(', ')}`);
  }
  return scopes as Scope[];
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' },
      'database-url': { type: 'string' }, role: { type: 'string' },
      workspace: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      map: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' },
    },
  });
  const [command, sub, arg, ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (!command) throw new ConfigError(`no command given\n\n${USAGE}`);
  const storeFlags: ConfigFlags = { data: values.data, databaseUrl: values['database-url'] };
  if (command === 'start' && !sub) return start({ ...values, ...storeFlags });
  if (command === 'migrate' && !sub) {
    const { migrateToLatest } = await import('./db/migrate.ts');
    const applied = await withStore(storeFlags, (db) => migrateToLatest(db), false);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    return;
  }
  if (command === 'workspaces' && sub === 'create' && rest.length === 0) {
    if (!arg) throw new ConfigError('workspaces create needs a NAME');
    const { createWorkspaceWithDefaults } = await import('./bootstrap.ts');
    const { secret } = await withStore(storeFlags, (db) => createWorkspaceWithDefaults(db, arg));
    process.stdout.write(secret + '\n');
    return;
  }
  if (command === 'keys' && sub === 'create' && !arg) {
    if (!values.workspace || !values.name) throw new ConfigError('keys create needs --workspace NAME and --name LABEL');
    const scopes = parseScopes(values.scopes);
    const { findWorkspaceByName } = await import('./auth/queries.ts');
    const { createApiKey } = await import('./auth/service.ts');
    const secret = await withStore(storeFlags, async (db) => {
      const workspace = await findWorkspaceByName(db, values.workspace!);
      if (!workspace) throw new ConfigError(`no workspace named "${values.workspace}"`);
      return (await createApiKey(db, workspace.id, values.name!, scopes)).secret;
    });
    process.stdout.write(secret + '\n');
    return;
  }
  if (command === 'users' && sub === 'create' && !arg) {
    if (!values.email || !values.name) throw new ConfigError('users create needs --email E and --name N');
    const role = (values.role ?? 'agent') as 'admin' | 'agent';
    if (role !== 'admin' && role !== 'agent') throw new ConfigError(`--role must be admin or agent, got "${values.role}"`);
    const { findWorkspaceByName } = await import('./auth/queries.ts');
    const { createUser } = await import('./users/service.ts');
    const created = await withStore(storeFlags, async (db, _store, config) => {
      const workspace = await findWorkspaceByName(db, values.workspace ?? 'default');
      if (!workspace) throw new ConfigError(`no workspace named "${values.workspace ?? 'default'}"`);
      return createUser(db, config, workspace.id, { email: values.email!, name: values.name!, role, password: values.password });
    });
    process.stdout.write(`${created.user.uuid}\n${created.invitation ? `invitation link (valid until ${created.invitation.expires_at}): ${created.invitation.url}\n` : ''}`);
    return;
  }
  if (command === 'import' && sub === 'contacts' && rest.length === 0) {
    if (!arg || !values.workspace) throw new ConfigError('import contacts needs FILE and --workspace NAME');
    const { commandQueue, importContactsCommand, importSummary } = await import('./imports/cli.ts');
    const { allSubscribers, taskLanes } = await import('./modules.ts');
    const view = await withStore(storeFlags, async (db, store, config) => {
      const { queue, close } = await commandQueue(store, config.workerSchema, taskLanes());
      try {
        return await importContactsCommand(db, { workspace: values.workspace!, file: arg, map: values.map }, process.stderr, { queue, subscribers: allSubscribers() });
      } finally {
        await close();
      }
    });
    process.stdout.write(importSummary(view, arg));
    return;
  }
  if ((command === 'backup' || command === 'restore') && !arg) {
    if (!sub) throw new ConfigError(`${command} needs a FILE: beckon ${command} FILE [--data DIR]`);
    const config = loadConfig(process.env, storeFlags);
    const { backupCommand, restoreCommand } = await import('./db/backup-cli.ts');
    const target = { dataDir: config.dataDir, databaseUrl: config.databaseUrl, secretKey: config.secretKey };
    const report = command === 'backup' ? await backupCommand(target, sub) : restoreCommand(target, sub);
    process.stdout.write(report.stdout);
    process.stderr.write(report.stderr);
    return;
  }
  throw new ConfigError(`unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err) => {
  const known = err instanceof ConfigError || err instanceof AppError || (err as Error).name === 'BackupError' || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`beckon: ${known ? (err as Error).message : (err as Error).stack}\n`);
  process.exit(known ? 2 : 1);
});
