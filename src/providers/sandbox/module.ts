import { CHANNEL_TYPES, RATE_SETTING, type ProviderModule } from '../module.ts';
import { createSandboxProvider, sandboxTasks } from './adapter.ts';
import { sandboxRoutes } from './routes.ts';
import { SANDBOX_PROVIDER } from './service.ts';

/** The sandbox (docs/sandbox.md): a simulated phone on every channel type, its simulated status callbacks, and POST /v1/sandbox/inbound. */
export const sandboxModule: ProviderModule = {
  name: SANDBOX_PROVIDER,
  types: CHANNEL_TYPES,
  settings: {
    fields: {
      strict: { kind: 'boolean', description: 'true: enforce the WhatsApp 24-hour customer service window, as a real number would (default false)' },
      rate_per_second: RATE_SETTING,
    },
  },
  adapter: (deps) => createSandboxProvider(deps),
  routes: (app, _deps, port) => sandboxRoutes(app, port),
  tasks: (deps, port) => sandboxTasks(deps, port),
};
