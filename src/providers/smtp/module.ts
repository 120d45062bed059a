import { RATE_SETTING, type ProviderModule } from '../module.ts';
import { providerNet } from '../net.ts';
import { createSmtpProvider } from './adapter.ts';

/** SMTP email (docs/channels-email.md): one pool of connections per channel to the configured server; no inbound. */
export const smtpModule: ProviderModule = {
  name: 'smtp',
  types: ['email'],
  settings: {
    fields: {
      host: { kind: 'host', required: true, description: 'The SMTP server\'s host name' },
      port: { kind: 'port', description: 'Default 465 when secure, else 587' },
      secure: { kind: 'boolean', description: 'true: TLS from the first byte (port 465); false: STARTTLS when the server offers it (default)' },
      username: { kind: 'text', description: 'SMTP AUTH user name' },
      password: { kind: 'text', secret: true, description: 'SMTP AUTH password' },
      from_email: { kind: 'email', required: true, description: 'The sender address (From)' },
      from_name: { kind: 'text', description: 'The sender name shown with it' },
      rate_per_second: RATE_SETTING,
    },
    check: (config) => {
      if (config.password !== undefined && config.username === undefined) return [{ path: 'body.config.username', message: 'is required with password' }];
      if (config.username !== undefined && config.password === undefined) return [{ path: 'body.config.password', message: 'is required with username' }];
      return [];
    },
  },
  adapter: (deps) => createSmtpProvider(providerNet(deps.config)),
};
