import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import type { Task } from '../jobs/queue.ts';
import type { ProviderModule } from './module.ts';
import { closeProviderNet } from './net.ts';
import type { ProviderPort } from './port.ts';
import { sandboxModule } from './sandbox/module.ts';
import { smtpModule } from './smtp/module.ts';
import type { ProviderAdapter } from './types.ts';
import { twilioModule } from './twilio/module.ts';
import { whatsappCloudModule } from './whatsapp-cloud/module.ts';

/** Every provider, the one place that says what a provider is; a new provider is one module added here. */
export const PROVIDER_MODULES: readonly ProviderModule[] = [sandboxModule, whatsappCloudModule, twilioModule, smtpModule];

/** The provider module of this name (the `provider` channels carry), if there is one. */
export function providerModule(name: string): ProviderModule | undefined {
  return PROVIDER_MODULES.find((module) => module.name === name);
}

/** Every provider adapter by the `provider` name channels carry. */
export function buildProviders(deps: Deps): Record<string, ProviderAdapter> {
  return opened(deps, Object.fromEntries(PROVIDER_MODULES.map((module) => [module.name, module.adapter(deps)])));
}

const openAdapters = new WeakMap<Deps, ProviderAdapter[]>();

function opened(deps: Deps, adapters: Record<string, ProviderAdapter>): Record<string, ProviderAdapter> {
  openAdapters.set(deps, [...(openAdapters.get(deps) ?? []), ...Object.values(adapters)]);
  return adapters;
}

/** Closes what the adapters built for these deps hold open (SMTP connection pools, the guarded HTTP agent); the runtime calls it at shutdown, after the worker. */
export async function closeProviders(deps: Deps): Promise<void> {
  const adapters = openAdapters.get(deps) ?? [];
  openAdapters.delete(deps);
  await Promise.all(adapters.map((adapter) => adapter.close?.()));
  await closeProviderNet(deps.config);
}

/** Registers every provider's inbound routes, each reaching messages through the port. */
export function providerRoutes(app: App, deps: Deps, port: ProviderPort): void {
  for (const module of PROVIDER_MODULES) module.routes?.(app, deps, port);
}

/** Jobs the providers need for themselves (the sandbox's simulated status callbacks), each reaching messages through the port. */
export function providerTasks(deps: Deps, port: ProviderPort): Record<string, Task> {
  return Object.assign({}, ...PROVIDER_MODULES.map((module) => module.tasks?.(deps, port) ?? {}));
}

/** The URLs a provider's console needs for this channel (BECKON_PUBLIC_URL + the channel's hook paths); none for most providers. */
export function providerCallbackUrls(publicUrl: string, channel: { id: string; provider: string }): Record<string, string> {
  return providerModule(channel.provider)?.callbackUrls?.(publicUrl, channel) ?? {};
}
