import type { Deps } from '../deps.ts';
import type { Task } from '../jobs/queue.ts';
import { createSandboxProvider, sandboxTasks } from './sandbox.ts';
import { createSmtpProvider } from './smtp/adapter.ts';
import type { ProviderAdapter } from './types.ts';
import { createTwilioProvider } from './twilio/adapter.ts';
import { createWhatsAppCloudProvider } from './whatsapp-cloud/adapter.ts';

/** Every provider adapter by the `provider` name channels carry; later adapters (whatsapp_cloud, twilio, smtp) join here. */
export function buildProviders(deps: Deps): Record<string, ProviderAdapter> {
  const sandbox = createSandboxProvider(deps);
  const smtp = createSmtpProvider();
  const whatsapp = createWhatsAppCloudProvider();
  const twilio = createTwilioProvider(deps);
  return opened(deps, { [sandbox.name]: sandbox, [smtp.name]: smtp, [whatsapp.name]: whatsapp, [twilio.name]: twilio });
}

const openAdapters = new WeakMap<Deps, ProviderAdapter[]>();

function opened(deps: Deps, adapters: Record<string, ProviderAdapter>): Record<string, ProviderAdapter> {
  openAdapters.set(deps, [...(openAdapters.get(deps) ?? []), ...Object.values(adapters)]);
  return adapters;
}

/** Closes what the adapters built for these deps hold open (SMTP connection pools); the runtime calls it at shutdown, after the worker. */
export async function closeProviders(deps: Deps): Promise<void> {
  const adapters = openAdapters.get(deps) ?? [];
  openAdapters.delete(deps);
  await Promise.all(adapters.map((adapter) => adapter.close?.()));
}

/** Jobs the providers need for themselves (the sandbox's simulated status callbacks). */
export function providerTasks(deps: Deps): Record<string, Task> {
  return { ...sandboxTasks(deps) };
}
