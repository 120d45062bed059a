import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { registerWebhookFormat } from '../../webhooks/formats.ts';
import { callbellCatalogRoutes } from './catalog.ts';
import { callbellContactRoutes } from './contacts.ts';
import { callbellInboxRoutes } from './inbox.ts';
import { callbellMessageRoutes } from './messages.ts';
import { CALLBELL_PREFIX, registerCallbellOpenApi } from './openapi.ts';
import { callbellBody, callbellParts } from './payloads.ts';
import { callbellErrors } from './errors.ts';
import { callbellWebhookRoutes } from './webhooks.ts';

export { CALLBELL_PREFIX };

// Deliveries to endpoints of format "callbell" carry Callbell's payloads (one delivery per user of a
// team_membership_updated); every role loads this module (modules.ts).
registerWebhookFormat('callbell', callbellBody, callbellParts);

/**
 * The Callbell-compatible surface: Callbell's paths under /compat/callbell, its shapes, its own OpenAPI document, over
 * Beckon's services (translation only). The same API keys authenticate (Authorization: Bearer).
 */
export function callbellCompatRoutes(app: App, deps: Deps): void {
  app.register(async (scope: App) => {
    await registerCallbellOpenApi(scope, deps);
    callbellErrors(scope);
    callbellMessageRoutes(scope, deps);
    callbellContactRoutes(scope, deps);
    callbellCatalogRoutes(scope, deps);
    callbellWebhookRoutes(scope, deps);
    callbellInboxRoutes(scope, deps);
  }, { prefix: CALLBELL_PREFIX });
}
