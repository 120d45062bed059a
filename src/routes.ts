import type { Deps } from './deps.ts';
import type { App } from './http.ts';
import type { KeyVerifier } from './auth/service.ts';
import { authRoutes } from './auth/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { customFieldRoutes } from './contacts/custom-fields-routes.ts';
import { contactBatchRoutes } from './contacts/batch-routes.ts';
import { contactExportRoutes } from './contacts/export-routes.ts';
import { importRoutes } from './imports/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { templateRoutes } from './templates/routes.ts';
import { templateSyncRoutes } from './templates/sync-routes.ts';
import { messageRoutes } from './messages/routes.ts';
import { sandboxRoutes } from './sandbox/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { twilioHookRoutes } from './providers/twilio/hooks-routes.ts';
import { systemRoutes } from './system/routes.ts';
import { segmentRoutes } from './segments/routes.ts';
import { whatsappHookRoutes } from './providers/whatsapp-cloud/hooks-routes.ts';
import { eventRoutes } from './events/routes.ts';
import { trackingRoutes } from './tracking/routes.ts';
import { contactHistoryRoutes } from './contacts/history-routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';

/** Services shared by several route groups. */
export interface RouteServices {
  verifier: KeyVerifier;
}

/** The one route table: every group of routes, each declaring its paths, scopes and schemas. */
export function registerRoutes(app: App, deps: Deps, services: RouteServices): void {
  systemRoutes(app, deps);
  authRoutes(app, deps, services.verifier);
  contactRoutes(app, deps);
  contactBatchRoutes(app, deps);
  contactExportRoutes(app, deps);
  importRoutes(app, deps);
  customFieldRoutes(app, deps);
  channelRoutes(app, deps);
  templateRoutes(app, deps);
  templateSyncRoutes(app, deps);
  messageRoutes(app, deps);
  sandboxRoutes(app, deps);
  webhookRoutes(app, deps);
  twilioHookRoutes(app, deps);
  whatsappHookRoutes(app, deps);
  eventRoutes(app, deps);
  segmentRoutes(app, deps);
  trackingRoutes(app, deps);
  contactHistoryRoutes(app, deps);
  reportRoutes(app, deps);
  campaignRoutes(app, deps);
}
