import { resolve } from 'node:path';

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
  /** Milliseconds until the sandbox reports sent, delivered and read. */
  readonly sandboxDelays: readonly [number, number, number];
  /** Seconds between webhook delivery attempts after the first; its length is the number of retries. */
  readonly webhookRetrySchedule: readonly number[];
  /** Milliseconds a webhook receiver has to answer. */
  readonly webhookTimeoutMs: number;
  /** Requests allowed per API key per rate-limit window. */
  readonly rateLimitMax: number;
  /** Length of the rate-limit window in milliseconds. */
  readonly rateLimitWindowMs: number;
  /** How many jobs one worker runs at once. */
  readonly workerConcurrency: number;
}

/** Flags parsed from the command line that override the environment. */
export interface ConfigFlags {
  port?: string;
  host?: string;
  data?: string;
}

/** Error thrown when a setting cannot be understood; the message names the variable. */
export class ConfigError extends Error {}

function int(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function intList(name: string, raw: string, min = 0): number[] {
  return raw.split(',').map((part) => int(name, part.trim(), 0, min));
}

/** Default retry schedule in seconds (Svix-like, about 27 hours in all); jitter of ±20% is added per attempt. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** Builds the frozen configuration from environment variables and command-line flags. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const port = int('BECKON_PORT / --port', flags.port ?? env.BECKON_PORT, 3000);
  if (port > 65535) throw new ConfigError(`BECKON_PORT / --port must be at most 65535, got ${port}`);
  const host = flags.host ?? env.BECKON_HOST ?? '127.0.0.1';
  const delays = intList('BECKON_SANDBOX_DELAYS', env.BECKON_SANDBOX_DELAYS ?? '1000,2000,3000');
  if (delays.length !== 3) throw new ConfigError('BECKON_SANDBOX_DELAYS must be three integers: sent,delivered,read in ms');
  const schedule = env.BECKON_WEBHOOK_RETRY_SCHEDULE
    ? intList('BECKON_WEBHOOK_RETRY_SCHEDULE', env.BECKON_WEBHOOK_RETRY_SCHEDULE)
    : DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  const allow = (env.BECKON_WEBHOOK_ALLOW_PRIVATE ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return Object.freeze({
    port,
    host,
    dataDir: resolve(flags.data ?? env.BECKON_DATA_DIR ?? './data'),
    bootstrapKey: env.BECKON_BOOTSTRAP_KEY || undefined,
    publicUrl: (env.BECKON_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, ''),
    logLevel: env.BECKON_LOG_LEVEL ?? 'info',
    webhookAllowPrivate: Object.freeze(allow),
    sandboxDelays: Object.freeze([delays[0], delays[1], delays[2]] as [number, number, number]),
    webhookRetrySchedule: Object.freeze(schedule),
    webhookTimeoutMs: int('BECKON_WEBHOOK_TIMEOUT_MS', env.BECKON_WEBHOOK_TIMEOUT_MS, 15000, 1),
    rateLimitMax: int('BECKON_RATE_LIMIT', env.BECKON_RATE_LIMIT, 1000, 1),
    rateLimitWindowMs: int('BECKON_RATE_LIMIT_WINDOW_MS', env.BECKON_RATE_LIMIT_WINDOW_MS, 1000, 1),
    workerConcurrency: int('BECKON_WORKER_CONCURRENCY', env.BECKON_WORKER_CONCURRENCY, 32, 1),
  });
}
