import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';

/** The inbox part of the Callbell surface (teams, users, custom statuses, funnels, conversations, bot, plan): registered by the plugin; filled in by its own change. */
export function callbellInboxRoutes(app: App, deps: Deps): void {
  void app;
  void deps;
}
