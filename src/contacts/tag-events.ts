import type { NewEvent } from '../events/service.ts';
import type { ContactView } from './service.ts';

/**
 * The `contact_tag_added` events of a contact write: one per tag `view` has that `before` had not, in the contact's
 * tag order, each with the contact's view and the `tag` (a contact created with tags gets one per tag). Every path that
 * writes tags (create, PATCH, batch upsert, imports, custom event upserts, automation steps) records them beside
 * contact_created / contact_updated, so a `tag_added` automation trigger never compares payloads.
 */
export function tagAddedEvents(before: readonly string[], view: ContactView, createdAt: string): NewEvent[] {
  const had = new Set(before);
  return view.tags.filter((t) => !had.has(t)).map((tag) => ({ type: 'contact_tag_added' as const, payload: { ...view, tag }, created_at: createdAt }));
}
