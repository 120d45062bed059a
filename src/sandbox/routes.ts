import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';

/** Placeholder until this route group lands. */
export function sandboxRoutes(_app: App, _deps: Deps): void {}
