import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { parseSecretKey } from './lib/secret-box.ts';

/** Every setting Beckon reads, frozen once at start-up. Flags win over environment variables. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly bootstrapKey: string | undefined;
  readonly publicUrl: string;
  readonly logLevel: string;
  /** CIDRs exempt from the webhook SSRF guard (e.g. 127.0.0.0/8 for local receivers). */
  readonly webhookAllowPrivate: readonly string[];
  /** CIDRs exempt from the provider SSRF guard (channel api_base_url and SMTP host): provider fakes and local relays. */
  readonly providerAllowPrivate: readonly string[];
  /** Milliseconds until the sandbox reports sent, delivered and read. */
  readonly sandboxDelays: readonly [number, number, number];
  /** Seconds between webhook delivery attempts after the first; its length is the number of retries. */
  readonly webhookRetrySchedule: readonly number[];
  /** Milliseconds a webhook receiver (endpoints, automation webhook steps) has to answer. */
  readonly webhookTimeoutMs: number;
  /** Hours an endpoint may keep failing before a delivery that exhausts its retries disables it. */
  readonly webhookDisableAfterHours: number;
  /** Requests allowed per API key per rate-limit window. */
  readonly rateLimitMax: number;
  /** Length of the rate-limit window in milliseconds. */
  readonly rateLimitWindowMs: number;
  /** How many jobs one worker runs at once. */
  readonly workerConcurrency: number;
  /** How many webhook delivery attempts one process makes at once. */
  readonly webhookConcurrency: number;
  /** On SQLite with role all, `beckon start` runs the job runners on a worker thread of their own, the webhook lane's on the API's (BECKON_WORKER_THREAD, on by default; 0 keeps them all on the API's thread). */
  readonly workerThread: boolean;
  /** The AES-256 key sealing channel secrets (BECKON_SECRET_KEY); undefined: the data directory's secret.key is used (generated if missing). */
  readonly secretKey: Buffer | undefined;
  /** Days events are kept for GET /v1/events and stream resumption before the cleanup timer deletes them. */
  readonly eventRetentionDays: number;
  /** PostgreSQL connection URL (DATABASE_URL); undefined: the embedded SQLite store in dataDir. */
  readonly databaseUrl: string | undefined;
  /** Connections in each of the process's PostgreSQL pools (queries; graphile-worker's jobs) at most. */
  readonly databasePoolSize: number;
  /** PostgreSQL: prepare hot statements on the query pool's connections (off behind a transaction-mode pooler). */
  readonly databasePrepare: boolean;
  /** What this process runs: the HTTP API, the job runners, or both (only `all` on SQLite). */
  readonly role: Role;
  /** PostgreSQL schema of graphile-worker's job tables (DATABASE_URL only). */
  readonly workerSchema: string;
  /** Milliseconds a client has to send a request's headers (slowloris guard); at most requestTimeoutMs. */
  readonly headersTimeoutMs: number;
  /** Milliseconds a client has to send a whole request, headers and body. */
  readonly requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection waits for its next request. */
  readonly keepAliveTimeoutMs: number;
  /** Client connections the HTTP server holds open at most. */
  readonly maxConnections: number;
  /** Seconds a session lives after its last use (sliding). */
  readonly sessionIdleSeconds: number;
  /** Seconds a session lives after sign-in at most, however much it is used. */
  readonly sessionMaxSeconds: number;
  /** Hours an invitation link stays valid. */
  readonly invitationTtlHours: number;
  /** Sign-in attempts allowed per email (and 5 times as many per client address) per login window. */
  readonly loginRateLimit: number;
  /** Length of the login rate-limit window in milliseconds. */
  readonly loginRateLimitWindowMs: number;
  /** Email of the first admin user, created at the first start with bootstrapAdminPassword. */
  readonly bootstrapAdminEmail: string | undefined;
  /** Password of the first admin user (at least 10 characters). */
  readonly bootstrapAdminPassword: string | undefined;
}

/** The roles of `beckon start --role`: api (HTTP API, no jobs), worker (jobs; /healthz, /readyz, /metrics only), all (both). */
export const ROLES = ['api', 'worker', 'all'] as const;

/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** Flags parsed from the command line that override the environment. */
export interface ConfigFlags {
  port?: string;
  host?: string;
  data?: string;
  databaseUrl?: string;
  role?: string;
}

/** Error thrown when a setting cannot be understood; the message names the variable. */
export class ConfigError extends Error {}

/** Default retry schedule in seconds (Svix-like, about 27 hours in all); jitter of ±20% is added per attempt. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** Log levels BECKON_LOG_LEVEL accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable Beckon reads, with its default and meaning: the source of the README's table and `beckon --help`. */
export const CONFIG_VARIABLES: readonly { name: string; flag?: string; default: string; meaning: string }[] = [
  { name: 'BECKON_PORT', flag: '--port', default: '3000', meaning: 'TCP port the API listens on (0 picks a free port, which is logged)' },
  { name: 'BECKON_HOST', flag: '--host', default: '127.0.0.1', meaning: 'Interface the API binds (0.0.0.0 to accept outside connections)' },
  { name: 'BECKON_DATA_DIR', flag: '--data', default: './data', meaning: 'Directory of the SQLite store (beckon.db) and its WAL files' },
  { name: 'BECKON_BOOTSTRAP_KEY', default: '(none)', meaning: 'An admin API key to adopt for the default workspace instead of generating one' },
  { name: 'BECKON_PUBLIC_URL', default: 'http://HOST:PORT', meaning: 'Base URL the service is reached at (OpenAPI servers, links)' },
  { name: 'BECKON_LOG_LEVEL', default: 'info', meaning: `Log level: ${LOG_LEVELS.join(', ')}` },
  { name: 'BECKON_WEBHOOK_ALLOW_PRIVATE', default: '(none)', meaning: 'Comma-separated CIDRs (or addresses) exempt from the webhook SSRF guard (endpoints and automation webhook steps), e.g. 127.0.0.0/8' },
  { name: 'BECKON_PROVIDER_ALLOW_PRIVATE', default: '(none)', meaning: 'Comma-separated CIDRs (or addresses) a channel\'s api_base_url or SMTP host may reach despite the provider SSRF guard, e.g. 10.0.0.25/32 for a local SMTP relay' },
  { name: 'BECKON_SANDBOX_DELAYS', default: '1000,2000,3000', meaning: 'Milliseconds until the sandbox reports sent, delivered, read (e.g. 0,0,0)' },
  { name: 'BECKON_WEBHOOK_RETRY_SCHEDULE', default: DEFAULT_WEBHOOK_RETRY_SCHEDULE.join(','), meaning: 'Seconds between webhook retries (±20% jitter); its length is the number of retries' },
  { name: 'BECKON_WEBHOOK_TIMEOUT_MS', default: '15000', meaning: 'Milliseconds a webhook receiver (endpoints, automation webhook steps) has to answer' },
  { name: 'BECKON_WEBHOOK_DISABLE_AFTER_HOURS', default: '24', meaning: 'An endpoint failing for this many hours is disabled when a delivery exhausts its retries (0: at the first exhausted delivery)' },
  { name: 'BECKON_RATE_LIMIT', default: '1000', meaning: 'Requests allowed per API key per rate-limit window' },
  { name: 'BECKON_RATE_LIMIT_WINDOW_MS', default: '1000', meaning: 'Length of the rate-limit window in milliseconds' },
  { name: 'BECKON_WORKER_CONCURRENCY', default: '64', meaning: 'Message jobs (sends, status callbacks) one process runs at once' },
  { name: 'BECKON_WEBHOOK_CONCURRENCY', default: '128', meaning: 'Webhook delivery attempts one process makes at once; one endpoint gets at most a quarter of them' },
  { name: 'BECKON_WORKER_THREAD', default: '1', meaning: 'On the embedded store, 1 runs the job runners on a worker thread of their own, which shares its webhook calls half and half with the API thread (the API and the jobs use two cores; about 70 MB more memory); 0 runs both on one thread, for a small machine' },
  { name: 'BECKON_SECRET_KEY', default: '(generated: DATA_DIR/secret.key)', meaning: 'Key encrypting channel secrets at rest (AES-256-GCM): 32 bytes as base64 or 64 hex characters (openssl rand -base64 32); unset, one is generated into the data directory (mode 0600)' },
  { name: 'DATABASE_URL', flag: '--database-url', default: '(none: SQLite in BECKON_DATA_DIR)', meaning: 'postgres://user:password@host:5432/db stores everything in PostgreSQL (jobs on graphile-worker) instead of the embedded SQLite file' },
  { name: 'BECKON_ROLE', flag: '--role', default: 'all', meaning: 'What this process runs: api (the HTTP API, no jobs), worker (the job runners; its port answers /healthz, /readyz, /metrics only) or all; api and worker need DATABASE_URL' },
  { name: 'BECKON_WORKER_SCHEMA', default: 'beckon_worker', meaning: 'PostgreSQL schema of the job queue\'s tables (graphile-worker; DATABASE_URL only)' },
  { name: 'BECKON_DATABASE_POOL_SIZE', default: '10', meaning: 'Connections in each of a process\'s two PostgreSQL pools at most: queries, and graphile-worker\'s jobs (DATABASE_URL only)' },
  { name: 'BECKON_DATABASE_PREPARE', default: '1', meaning: 'PostgreSQL: 1 prepares the statements a process sends often on each query connection (parsed once, not at every send); set 0 when the query pools go through PgBouncer in transaction mode, where a connection\'s prepared statements are not its own (DATABASE_URL only)' },
  { name: 'BECKON_HEADERS_TIMEOUT_MS', default: '10000', meaning: 'Milliseconds a client has to send a request\'s headers; a slower one (slowloris) is answered 408 and disconnected' },
  { name: 'BECKON_REQUEST_TIMEOUT_MS', default: '30000', meaning: 'Milliseconds a client has to send a whole request, headers and body (at least BECKON_HEADERS_TIMEOUT_MS); a slower one is answered 408 and disconnected' },
  { name: 'BECKON_KEEP_ALIVE_TIMEOUT_MS', default: '72000', meaning: 'Milliseconds an idle keep-alive connection stays open for the next request (keep it above a load balancer\'s idle timeout, e.g. 60 s)' },
  { name: 'BECKON_MAX_CONNECTIONS', default: '10000', meaning: 'Client connections the HTTP server holds open at most (event streams included); further ones are closed at once' },
  { name: 'BECKON_SESSION_IDLE_SECONDS', default: '43200', meaning: 'Seconds a dashboard session (cookie) lives after its last use: 12 hours' },
  { name: 'BECKON_SESSION_MAX_SECONDS', default: '2592000', meaning: 'Seconds a dashboard session lives after sign-in at most, however much it is used: 30 days' },
  { name: 'BECKON_INVITATION_TTL_HOURS', default: '72', meaning: 'Hours an invitation link (set your password) stays valid; a password reset link lives 1 hour' },
  { name: 'BECKON_LOGIN_RATE_LIMIT', default: '10', meaning: 'Sign-in attempts (POST /v1/auth/login) allowed per email per login window, and 5 times as many per client address; more get 429 with Retry-After' },
  { name: 'BECKON_LOGIN_RATE_LIMIT_WINDOW_MS', default: '900000', meaning: 'Length of the login rate-limit window in milliseconds: 15 minutes' },
  { name: 'BECKON_BOOTSTRAP_ADMIN_EMAIL', default: '(none)', meaning: 'With BECKON_BOOTSTRAP_ADMIN_PASSWORD: the first admin user of the default workspace, created at the first start (unset, a one-time sign-in link is printed instead)' },
  { name: 'BECKON_BOOTSTRAP_ADMIN_PASSWORD', default: '(none)', meaning: 'The first admin user\'s password (at least 10 characters); only read when that user does not exist yet' },
  { name: 'BECKON_EVENT_RETENTION_DAYS', default: '30', meaning: 'Days events are kept for GET /v1/events and stream resumption (Last-Event-ID); older ones are deleted hourly' },
];

function int(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function flag(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (raw.trim() === '1') return true;
  if (raw.trim() === '0') return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

function intList(name: string, raw: string, min = 0): number[] {
  return raw.split(',').map((part) => {
    if (part.trim() === '') throw new ConfigError(`${name} must be a comma-separated list of integers, got "${raw}"`);
    return int(name, part.trim(), 0, min);
  });
}

function cidrs(name: string, raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const cidr of list) {
    if (!ipaddr.isValidCIDR(cidr) && !ipaddr.isValid(cidr)) throw new ConfigError(`${name} must be comma-separated CIDRs (or addresses) like 127.0.0.0/8 or ::1/128, got "${cidr}"`);
  }
  return list;
}

function url(name: string, raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function secretKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const key = parseSecretKey(raw);
  if (!key) throw new ConfigError('BECKON_SECRET_KEY must be 32 bytes written as base64 (44 characters) or hex (64 characters), e.g. the output of `openssl rand -base64 32`');
  return key;
}

function role(name: string, raw: string | undefined, databaseUrl: string | undefined): Role {
  const value = (raw ?? '').trim() || 'all';
  if (!(ROLES as readonly string[]).includes(value)) throw new ConfigError(`${name} must be one of ${ROLES.join(', ')}, got "${value}"`);
  if (value !== 'all' && !databaseUrl) {
    throw new ConfigError(`${name}=${value} needs DATABASE_URL: the embedded SQLite store belongs to one process, which runs the API and the jobs together (role all)`);
  }
  return value as Role;
}

function schemaName(name: string, raw: string | undefined): string {
  const value = (raw ?? '').trim() || 'beckon_worker';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) throw new ConfigError(`${name} must be a lowercase PostgreSQL identifier (letters, digits, _), got "${value}"`);
  return value;
}

function databaseUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${name} must be a postgres://user:password@host:port/database URL`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new ConfigError(`${name} must be a postgres:// (or postgresql://) URL, got the scheme "${parsed.protocol}"`);
  return raw.trim();
}

function bootstrapAdmin(env: NodeJS.ProcessEnv): { bootstrapAdminEmail: string | undefined; bootstrapAdminPassword: string | undefined } {
  const email = env.BECKON_BOOTSTRAP_ADMIN_EMAIL?.trim().toLowerCase() || undefined;
  const password = env.BECKON_BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (!email !== !password) throw new ConfigError('BECKON_BOOTSTRAP_ADMIN_EMAIL and BECKON_BOOTSTRAP_ADMIN_PASSWORD go together: set both or neither');
  if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw new ConfigError(`BECKON_BOOTSTRAP_ADMIN_EMAIL must be an email address, got "${email}"`);
  if (password && password.length < 10) throw new ConfigError('BECKON_BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters');
  return { bootstrapAdminEmail: email, bootstrapAdminPassword: password };
}

/** Builds the frozen configuration from environment variables and command-line flags, or throws a ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const portName = flags.port !== undefined ? '--port' : 'BECKON_PORT';
  const port = int(portName, flags.port ?? env.BECKON_PORT, 3000);
  if (port > 65535) throw new ConfigError(`${portName} must be at most 65535, got ${port}`);
  const host = (flags.host ?? env.BECKON_HOST ?? '127.0.0.1').trim();
  if (!host) throw new ConfigError(`${flags.host !== undefined ? '--host' : 'BECKON_HOST'} must not be empty`);
  const dataDir = flags.data ?? env.BECKON_DATA_DIR ?? './data';
  if (!dataDir.trim()) throw new ConfigError(`${flags.data !== undefined ? '--data' : 'BECKON_DATA_DIR'} must not be empty`);
  const delays = intList('BECKON_SANDBOX_DELAYS', env.BECKON_SANDBOX_DELAYS || '1000,2000,3000');
  if (delays.length !== 3) throw new ConfigError(`BECKON_SANDBOX_DELAYS must be three integers (ms until sent,delivered,read), got "${env.BECKON_SANDBOX_DELAYS}"`);
  const schedule = env.BECKON_WEBHOOK_RETRY_SCHEDULE
    ? intList('BECKON_WEBHOOK_RETRY_SCHEDULE', env.BECKON_WEBHOOK_RETRY_SCHEDULE)
    : DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  const logLevel = env.BECKON_LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError(`BECKON_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const headersTimeoutMs = int('BECKON_HEADERS_TIMEOUT_MS', env.BECKON_HEADERS_TIMEOUT_MS, 10000, 1);
  const requestTimeoutMs = int('BECKON_REQUEST_TIMEOUT_MS', env.BECKON_REQUEST_TIMEOUT_MS, Math.max(30000, headersTimeoutMs), 1);
  if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError(`BECKON_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be at least BECKON_HEADERS_TIMEOUT_MS (${headersTimeoutMs}): the headers are part of the request`);
  const dbUrl = databaseUrl(flags.databaseUrl !== undefined ? '--database-url' : 'DATABASE_URL', flags.databaseUrl ?? env.DATABASE_URL);
  return Object.freeze({
    port,
    host,
    dataDir: resolve(dataDir),
    bootstrapKey: env.BECKON_BOOTSTRAP_KEY || undefined,
    publicUrl: env.BECKON_PUBLIC_URL ? url('BECKON_PUBLIC_URL', env.BECKON_PUBLIC_URL) : `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    logLevel,
    webhookAllowPrivate: Object.freeze(cidrs('BECKON_WEBHOOK_ALLOW_PRIVATE', env.BECKON_WEBHOOK_ALLOW_PRIVATE)),
    providerAllowPrivate: Object.freeze(cidrs('BECKON_PROVIDER_ALLOW_PRIVATE', env.BECKON_PROVIDER_ALLOW_PRIVATE)),
    sandboxDelays: Object.freeze([delays[0], delays[1], delays[2]] as [number, number, number]),
    webhookRetrySchedule: Object.freeze(schedule),
    webhookTimeoutMs: int('BECKON_WEBHOOK_TIMEOUT_MS', env.BECKON_WEBHOOK_TIMEOUT_MS, 15000, 1),
    webhookDisableAfterHours: int('BECKON_WEBHOOK_DISABLE_AFTER_HOURS', env.BECKON_WEBHOOK_DISABLE_AFTER_HOURS, 24),
    rateLimitMax: int('BECKON_RATE_LIMIT', env.BECKON_RATE_LIMIT, 1000, 1),
    rateLimitWindowMs: int('BECKON_RATE_LIMIT_WINDOW_MS', env.BECKON_RATE_LIMIT_WINDOW_MS, 1000, 1),
    workerConcurrency: int('BECKON_WORKER_CONCURRENCY', env.BECKON_WORKER_CONCURRENCY, 64, 1),
    webhookConcurrency: int('BECKON_WEBHOOK_CONCURRENCY', env.BECKON_WEBHOOK_CONCURRENCY, 128, 1),
    workerThread: flag('BECKON_WORKER_THREAD', env.BECKON_WORKER_THREAD, true),
    secretKey: secretKey(env.BECKON_SECRET_KEY),
    eventRetentionDays: int('BECKON_EVENT_RETENTION_DAYS', env.BECKON_EVENT_RETENTION_DAYS, 30, 1),
    databaseUrl: dbUrl,
    databasePoolSize: int('BECKON_DATABASE_POOL_SIZE', env.BECKON_DATABASE_POOL_SIZE, 10, 2),
    databasePrepare: flag('BECKON_DATABASE_PREPARE', env.BECKON_DATABASE_PREPARE, true),
    role: role(flags.role !== undefined ? '--role' : 'BECKON_ROLE', flags.role ?? env.BECKON_ROLE, dbUrl),
    workerSchema: schemaName('BECKON_WORKER_SCHEMA', env.BECKON_WORKER_SCHEMA),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: int('BECKON_KEEP_ALIVE_TIMEOUT_MS', env.BECKON_KEEP_ALIVE_TIMEOUT_MS, 72000, 1),
    maxConnections: int('BECKON_MAX_CONNECTIONS', env.BECKON_MAX_CONNECTIONS, 10000, 1),
    sessionIdleSeconds: int('BECKON_SESSION_IDLE_SECONDS', env.BECKON_SESSION_IDLE_SECONDS, 43200, 1),
    sessionMaxSeconds: int('BECKON_SESSION_MAX_SECONDS', env.BECKON_SESSION_MAX_SECONDS, 2592000, 1),
    invitationTtlHours: int('BECKON_INVITATION_TTL_HOURS', env.BECKON_INVITATION_TTL_HOURS, 72, 1),
    loginRateLimit: int('BECKON_LOGIN_RATE_LIMIT', env.BECKON_LOGIN_RATE_LIMIT, 10, 1),
    loginRateLimitWindowMs: int('BECKON_LOGIN_RATE_LIMIT_WINDOW_MS', env.BECKON_LOGIN_RATE_LIMIT_WINDOW_MS, 900000, 1),
    ...bootstrapAdmin(env),
  });
}
