// Client-side routes on the History API: Beckon answers index.html for every non-API path, so a reload keeps the page.
import { signal } from './state.ts';

/** The current path (e.g. /inbox/…). */
export const path = signal(location.pathname);

/** Goes to another page of the app without reloading. */
export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  path.set(location.pathname);
}
window.addEventListener('popstate', () => path.set(location.pathname));

/** Handles a click on an in-app link (plain left click) by navigating instead of loading. */
export function onLink(event: MouseEvent): void {
  const a = (event.currentTarget as HTMLAnchorElement);
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(a.getAttribute('href')!);
}
