import type { Deps } from '../deps.ts';
import type { Task } from '../jobs/queue.ts';
import { createSandboxProvider, sandboxTasks } from './sandbox.ts';
import type { ProviderAdapter } from './types.ts';

/** Every provider adapter by the `provider` name channels carry; later adapters (whatsapp_cloud, twilio, smtp) join here. */
export function buildProviders(deps: Deps): Record<string, ProviderAdapter> {
  const sandbox = createSandboxProvider(deps);
  return { [sandbox.name]: sandbox };
}

/** Jobs the providers need for themselves (the sandbox's simulated status callbacks). */
export function providerTasks(deps: Deps): Record<string, Task> {
  return { ...sandboxTasks(deps) };
}
