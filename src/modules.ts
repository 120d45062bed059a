import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import type { KeyVerifier } from './auth/service.ts';
import type { Task, TaskLanes, TaskTable } from './jobs/queue.ts';
import type { EventSubscriber } from './events/subscribers.ts';
import { authRoutes } from './auth/routes.ts';
import { userRoutes } from './users/routes.ts';
import { accountRoutes } from './users/account-routes.ts';
import { customStatusRoutes } from './users/status-routes.ts';
import { teamRoutes } from './teams/routes.ts';
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
import { WEBHOOK_TASK_LANES, webhookTasks } from './webhooks/tasks.ts';
import { webhookSubscriber } from './webhooks/fanout.ts';
import { providerRoutes, providerTasks } from './providers/index.ts';
import { providerPort } from './messages/provider-port.ts';
import { systemRoutes } from './system/routes.ts';
import { segmentRoutes } from './segments/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { customEventRoutes } from './custom-events/routes.ts';
import { trackingRoutes } from './tracking/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { campaignTasks } from './campaigns/tasks.ts';
import { automationRoutes } from './automations/routes.ts';
import { AUTOMATION_TASK_LANES, automationTasks } from './automations/tasks.ts';
import { resumeSubscriber } from './automations/resume.ts';
import { automationSubscriber } from './automations/triggers.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { conversationTasks } from './conversations/tasks.ts';
import { conversationSubscriber } from './conversations/inbound.ts';
import { funnelRoutes } from './funnels/routes.ts';
import { hookRoutes } from './hooks/routes.ts';
import { callbellCompatRoutes } from './compat/callbell/index.ts';

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
  /** The domain's job tasks by name, each typed by its payload (names and payloads: TaskPayloads in jobs/queue.ts). */
  tasks?(deps: Deps): TaskTable;
  /** The lanes of its tasks that do not run in the default lane. */
  lanes?: TaskLanes;
  /** Listeners handed every recorded event of the types they declare, in the event's transaction. */
  subscribers?: readonly EventSubscriber[];
}

/** The one list of modules, in registration order. */
export const MODULES: readonly Module[] = [
  { name: 'system', routes: (app, deps) => systemRoutes(app, deps) },
  { name: 'auth', routes: (app, deps, services) => authRoutes(app, deps, services.verifier) },
  {
    name: 'users',
    routes(app, deps, services) {
      accountRoutes(app, deps);
      userRoutes(app, deps, services.verifier);
      customStatusRoutes(app, deps);
    },
  },
  { name: 'teams', routes: (app, deps) => teamRoutes(app, deps) },
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
  { name: 'webhooks', routes: (app, deps) => webhookRoutes(app, deps), tasks: webhookTasks, lanes: WEBHOOK_TASK_LANES, subscribers: [webhookSubscriber] },
  { name: 'events', routes: (app, deps) => eventRoutes(app, deps) },
  { name: 'custom-events', routes: (app, deps) => customEventRoutes(app, deps) },
  { name: 'segments', routes: (app, deps) => segmentRoutes(app, deps) },
  { name: 'tracking', routes: (app, deps) => trackingRoutes(app, deps) },
  { name: 'reports', routes: (app, deps) => reportRoutes(app, deps) },
  { name: 'campaigns', routes: (app, deps) => campaignRoutes(app, deps), tasks: campaignTasks },
  // automations: its subscriber records the runs' own events on the bus of every module's subscribers
  { name: 'automations', routes: (app, deps) => automationRoutes(app, deps), tasks: automationTasks, lanes: AUTOMATION_TASK_LANES,
    // resume.ts ends the waits (wait_for_event, wait_for_reply) on the events they wait for, after exit_on ended runs
    subscribers: [automationSubscriber(() => allSubscribers()), resumeSubscriber] },
  // conversations: its subscriber files inbound messages into threads and records the inbox's events on every module's subscribers
  { name: 'conversations', routes: (app, deps) => conversationRoutes(app, deps), tasks: conversationTasks, subscribers: [conversationSubscriber(() => allSubscribers())] },
  { name: 'funnels', routes: (app, deps) => funnelRoutes(app, deps) },
  { name: 'hooks', routes: (app, deps) => hookRoutes(app, deps) },
  // compat/callbell: Callbell's API under /compat/callbell, in its own scope with its own OpenAPI document (last: it only translates)
  { name: 'compat/callbell', routes: (app, deps) => callbellCompatRoutes(app, deps) },
];

/** One route as docs/routes.md lists it: its module, method, path, scope, operationId and summary. */
export interface RouteEntry {
  module: string;
  method: string;
  url: string;
  scope: string;
  operationId: string;
  summary: string;
  /** Left out of the OpenAPI document (operational and provider routes). */
  hidden: boolean;
}

const routeTables = new WeakMap<App, RouteEntry[]>();

/**
 * Registers every module's routes on the app, each module as a plugin that does not encapsulate (so hooks and parsers
 * behave as if registered on the app), and notes which module each route belongs to for routeTable().
 */
export function registerRoutes(app: App, deps: Deps, services: RouteServices): void {
  const entries: RouteEntry[] = [];
  routeTables.set(app, entries);
  let current: string | null = null;
  app.addHook('onRoute', (route) => {
    if (current === null || route.method === 'HEAD') return;
    const schema = (route.schema ?? {}) as { operationId?: string; summary?: string; hide?: boolean };
    for (const method of [route.method].flat()) {
      entries.push({
        module: current, method, url: route.url, scope: route.config?.scope ?? 'admin', operationId: schema.operationId ?? '',
        summary: schema.summary ?? '', hidden: schema.hide === true,
      });
    }
  });
  for (const module of MODULES) {
    const routes = module.routes;
    if (!routes) continue;
    const plugin = async (scope: App) => {
      current = module.name;
      routes(scope, deps, services);
    };
    app.register(Object.assign(plugin, { [Symbol.for('skip-override')]: true }));
  }
}

/** Every route of every module, in registration order, once the app is ready. */
export function routeTable(app: App): RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** Every job task by name, from every module, as the runners (SQLite workers, graphile-worker) hold them. */
export function buildTasks(deps: Deps): Record<string, Task> {
  return Object.assign({}, ...MODULES.map((module) => module.tasks?.(deps) ?? {}));
}

/** The lane of every task that does not run in the default lane, from every module: what both queues read. */
export function taskLanes(): Record<string, string> {
  return Object.assign({}, ...MODULES.map((module) => module.lanes ?? {}));
}

/** Every event subscriber, from every module, in module order. */
export function allSubscribers(): EventSubscriber[] {
  return MODULES.flatMap((module) => module.subscribers ?? []);
}
