import { isIP } from 'node:net';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { SmtpConfig } from './config.ts';

/** Connections one channel keeps open to its SMTP server at most (sends beyond it wait in the pool's queue). */
export const MAX_CONNECTIONS = 5;

/** A pooled nodemailer transport. */
export type SmtpTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/** Hosts on this machine: a password sent to them in clear never crosses a network. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The nodemailer pool options for a channel: short timeouts (a send must end well within the job's 60 s lease). The
 * pool connects to `address` (the host's address the SSRF guard checked) and TLS verifies the certificate for the host name.
 */
export function poolOptions(config: SmtpConfig, address = config.host): SMTPPool.Options {
  const bare = config.host.replace(/^\[|\]$/g, '');
  return {
    pool: true,
    host: address,
    ...(isIP(bare) ? {} : { servername: bare }),
    port: config.port,
    secure: config.secure,
    // credentials never go over the network in clear: without implicit TLS, STARTTLS is required (except on loopback)
    requireTLS: !config.secure && config.username !== null && !isLoopback(config.host),
    auth: config.username !== null ? { user: config.username, pass: config.password ?? '' } : undefined,
    maxConnections: MAX_CONNECTIONS,
    maxMessages: 100,
    // a connection dropped mid-delivery is retried once in the pool; further retries are the job queue's
    maxRequeues: 1,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  } as SMTPPool.Options & { maxRequeues: number };
}

/** The settings that open a connection: a change to any of them needs a new pool. */
function fingerprint(config: SmtpConfig, address: string): string {
  return JSON.stringify([config.host, address, config.port, config.secure, config.username, config.password]);
}

/**
 * Pooled transports, one per channel, created on the channel's first send and reused by the next ones. A channel
 * whose connection settings changed gets a new pool (the old one closes once its deliveries end); close() ends them
 * all, at shutdown, after the worker has finished its running sends.
 */
export class SmtpTransports {
  private readonly pools = new Map<string, { key: string; transport: SmtpTransport }>();

  /**
   * The pooled transport of a channel to `address`, created (or replaced after a settings or address change) as needed;
   * nodemailer is loaded on the first one (a process without an email channel never loads it).
   */
  async get(channelId: string, config: SmtpConfig, address = config.host): Promise<SmtpTransport> {
    const { default: nodemailer } = await import('nodemailer');
    const key = fingerprint(config, address);
    const cached = this.pools.get(channelId);
    if (cached && cached.key === key) return cached.transport;
    cached?.transport.close();
    const transport = nodemailer.createTransport(poolOptions(config, address));
    this.pools.set(channelId, { key, transport });
    return transport;
  }

  /** How many channels have a pool. */
  get size(): number {
    return this.pools.size;
  }

  /** Closes every pool (idle connections end at once; none is busy once the worker has stopped). */
  close(): void {
    for (const { transport } of this.pools.values()) transport.close();
    this.pools.clear();
  }
}
