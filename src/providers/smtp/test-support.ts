import { providerNet } from '../net.ts';
import { createSmtpProvider as createAdapter } from './adapter.ts';

/** createSmtpProvider as the tests build it: the provider SSRF guard allows loopback, where the fake SMTP server listens. */
export function createSmtpProvider(): ReturnType<typeof createAdapter> {
  return createAdapter(providerNet({ providerAllowPrivate: ['127.0.0.0/8', '::1/128'] }));
}
