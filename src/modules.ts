import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import type { KeyVerifier } from './auth/service.ts';
import type { Task } from './jobs/queue.ts';
import type { EventSubscriber } from './events/subscribers.ts';
import { authRoutes } from './auth/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { customFieldRoutes } from './contacts/custom-fields/routes.ts';
import { contactBatchRoutes } from './contacts/batch/routes.ts';
import { contactExportRoutes } from './contacts/export/routes.ts';
import { contactHistoryRoutes } from './contacts/history/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { importTasks } from './imports/tasks.ts';
import { channelRoutes } from './channels/routes.ts';
import { templateRoutes } from './templates/routes.ts';
import { templateSyncRoutes } from './templates/sync-routes.ts';
import { messageRoutes } from './messages/routes.ts';
import { messageTasks } from './messages/tasks.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { webhookTasks } from './webhooks/tasks.ts';
import { webhookSubscriber } from './webhooks/fanout.ts';
import { providerRoutes, providerTasks } from './providers/index.ts';
import { providerPort } from './messages/provider-port.ts';
import { systemRoutes } from './system/routes.ts';
import { segmentRoutes } from './segments/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { trackingRoutes } from './tracking/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { campaignTasks } from './campaigns/tasks.ts';

/** Services shared by several route groups. */
export interface RouteServices {
  verifier: KeyVerifier;
}

/** One domain as the app, the worker and the docs see it: its routes, its job tasks and its event subscribers. */
export interface Module {
  /** The domain's folder name (contacts, messages, providers/twilio …). */
  name: string;
  /** Registers the domain's routes, each declaring its scope, operationId and schemas. */
  routes?(app: App, deps: Deps, services: RouteServices): void;
  /** The domain's job tasks by name. */
  tasks?(deps: Deps): Record<string, Task>;
  /** Listeners handed every recorded event of the types they declare, in the event's transaction. */
  subscribers?: readonly EventSubscriber[];
}

/** The one list of modules, in registration order. */
export const MODULES: readonly Module[] = [
  { name: 'system', routes: (app, deps) => systemRoutes(app, deps) },
  { name: 'auth', routes: (app, deps, services) => authRoutes(app, deps, services.verifier) },
  {
    name: 'contacts',
    routes(app, deps) {
      contactRoutes(app, deps);
      contactBatchRoutes(app, deps);
      contactExportRoutes(app, deps);
      customFieldRoutes(app, deps);
      contactHistoryRoutes(app, deps);
    },
  },
  { name: 'imports', routes: (app, deps) => importRoutes(app, deps), tasks: importTasks },
  { name: 'channels', routes: (app, deps) => channelRoutes(app, deps) },
  {
    name: 'templates',
    routes(app, deps) {
      templateRoutes(app, deps);
      templateSyncRoutes(app, deps);
    },
  },
  { name: 'messages', routes: (app, deps) => messageRoutes(app, deps), tasks: messageTasks },
  // providers: every provider module's inbound routes and tasks (providers/index.ts), handed the port messages implements
  {
    name: 'providers',
    routes: (app, deps) => providerRoutes(app, deps, providerPort(deps)),
    tasks: (deps) => providerTasks(deps, providerPort(deps)),
  },
  { name: 'webhooks', routes: (app, deps) => webhookRoutes(app, deps), tasks: webhookTasks, subscribers: [webhookSubscriber] },
  { name: 'events', routes: (app, deps) => eventRoutes(app, deps) },
  { name: 'segments', routes: (app, deps) => segmentRoutes(app, deps) },
  { name: 'tracking', routes: (app, deps) => trackingRoutes(app, deps) },
  { name: 'reports', routes: (app, deps) => reportRoutes(app, deps) },
  { name: 'campaigns', routes: (app, deps) => campaignRoutes(app, deps), tasks: campaignTasks },
];

/** Registers every module's routes on the app. */
export function registerRoutes(app: App, deps: Deps, services: RouteServices): void {
  for (const module of MODULES) module.routes?.(app, deps, services);
}

/** Every job task by name, from every module. */
export function buildTasks(deps: Deps): Record<string, Task> {
  return Object.assign({}, ...MODULES.map((module) => module.tasks?.(deps) ?? {}));
}

/** Every event subscriber, from every module, in module order. */
export function allSubscribers(): EventSubscriber[] {
  return MODULES.flatMap((module) => module.subscribers ?? []);
}
