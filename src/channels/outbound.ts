import { AppError, type FieldError } from '../errors.ts';
import { AllowList, refusedReason, resolveHost, SsrfError } from '../lib/ssrf.ts';
import { providerModule } from '../providers/index.ts';

/**
 * Checks the settings a provider connects to (every `url` setting, such as `api_base_url`, and every `host` setting,
 * such as the SMTP `host`) against the provider SSRF guard, as webhook URLs are: a host that is, or resolves to, a
 * loopback, private, link-local, metadata, CGNAT or otherwise non-public address (outside BECKON_PROVIDER_ALLOW_PRIVATE)
 * is a 400 naming `body.config.<field>`. A name that does not resolve (yet) is accepted: nothing can be judged, and
 * every call is checked again when it connects (providers/net.ts), where such a host is refused or fails.
 */
export async function checkOutboundSettings(provider: string, config: Record<string, unknown>, allowPrivate: readonly string[]): Promise<void> {
  const fields = providerModule(provider)?.settings.fields ?? {};
  const allow = new AllowList(allowPrivate);
  const errors: FieldError[] = [];
  for (const [field, spec] of Object.entries(fields)) {
    const value = config[field];
    if (typeof value !== 'string' || (spec.kind !== 'url' && spec.kind !== 'host')) continue;
    try {
      await assertPublicHost(spec.kind === 'url' ? new URL(value).hostname : value, allow);
    } catch (err) {
      if (!(err instanceof SsrfError)) throw err;
      errors.push({ path: `body.config.${field}`, message: `is refused: ${err.message}` });
    }
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
}

async function assertPublicHost(host: string, allow: AllowList): Promise<void> {
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    if (err instanceof SsrfError) return; // does not resolve: judged at connection time
    throw err;
  }
  for (const address of addresses) {
    const reason = refusedReason(address, allow);
    if (reason) throw new SsrfError(`"${host}" resolves to a non-public address: ${reason}`);
  }
}
