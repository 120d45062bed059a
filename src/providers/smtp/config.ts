import { isEmail } from '../../lib/email.ts';
import { ProviderError } from '../types.ts';

/** An SMTP channel's settings, as the adapter uses them (from the channel's decrypted config). */
export interface SmtpConfig {
  host: string;
  /** Default: 465 when `secure`, else 587. */
  port: number;
  /** true: TLS from the first byte (port 465); false: plain connection upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  username: string | null;
  password: string | null;
  fromEmail: string;
  fromName: string | null;
}

/** One problem with an SMTP channel config: the config field it concerns and what is wrong. */
interface SmtpConfigProblem {
  field: string;
  message: string;
}

const HOST_PATTERN = /^[A-Za-z0-9.:[\]-]{1,253}$/;

function optionalString(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : undefined;
}

/**
 * What would keep an SMTP channel config from working. Channels are validated when created (the settings of
 * providers/smtp/module.ts, checked by src/channels/config.ts); this guards the send against a config stored some
 * other way, so it fails the message with a clear reason.
 */
function smtpConfigProblems(config: Record<string, unknown>): SmtpConfigProblem[] {
  const problems: SmtpConfigProblem[] = [];
  const { host, port, secure, username, password, from_email: fromEmail, from_name: fromName } = config;
  if (typeof host !== 'string' || !HOST_PATTERN.test(host)) problems.push({ field: 'host', message: 'is required: the SMTP server\'s host name or IP address' });
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
    problems.push({ field: 'port', message: 'must be an integer from 1 to 65535' });
  }
  if (secure !== undefined && typeof secure !== 'boolean') problems.push({ field: 'secure', message: 'must be true or false' });
  const user = optionalString(username);
  const pass = optionalString(password);
  if (user === undefined) problems.push({ field: 'username', message: 'must be a string' });
  if (pass === undefined) problems.push({ field: 'password', message: 'must be a string' });
  if (user && !pass) problems.push({ field: 'password', message: 'is required with a username' });
  if (pass && !user) problems.push({ field: 'username', message: 'is required with a password' });
  if (typeof fromEmail !== 'string' || !isEmail(fromEmail)) problems.push({ field: 'from_email', message: 'is required: the sender address, such as support@example.com' });
  if (optionalString(fromName) === undefined) problems.push({ field: 'from_name', message: 'must be a string' });
  return problems;
}

/** Reads an SMTP channel's config; a config that cannot work fails the message for good (`channel_misconfigured`). */
export function smtpConfig(config: Record<string, unknown>): SmtpConfig {
  const problems = smtpConfigProblems(config);
  if (problems.length > 0) {
    const list = problems.map((p) => `config.${p.field} ${p.message}`).join('; ');
    throw new ProviderError('channel_misconfigured', `the SMTP channel's settings are invalid: ${list}`, false);
  }
  const secure = config.secure === true;
  return {
    host: config.host as string,
    port: (config.port as number | undefined) ?? (secure ? 465 : 587),
    secure,
    username: optionalString(config.username) ?? null,
    password: optionalString(config.password) ?? null,
    fromEmail: config.from_email as string,
    fromName: optionalString(config.from_name) ?? null,
  };
}
