import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { eventTypesFilter, listEventsPage, startEventRetention } from './feed.ts';
import { EVENT_TYPES } from './service.ts';
import { eventStreams, startPosition } from './stream.ts';
import { PageMeta } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const tags = ['events'];

const TypeFilter = Type.Optional(Type.Array(Type.String(), {
  description: `Only these event types (repeat the parameter or separate with commas): ${EVENT_TYPES.join(', ')}, custom.<name> for one custom event, custom.* for every custom event; default all`,
}));

const ListQuery = Type.Object({
  type: TypeFilter,
  created_after: Type.Optional(Type.String({ format: 'date-time', description: 'Only events created strictly after this ISO 8601 date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
});

const StreamQuery = Type.Object({
  type: TypeFilter,
  last_event_id: Type.Optional(Type.String({ description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header (the header wins)' })),
});

/** An event exactly as a webhook delivery's body carries it. */
const EventSchema = Type.Object({
  event: Type.String({ description: 'The event type' }),
  payload: Type.Record(Type.String(), Type.Unknown()),
  id: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
});
nameSchema('Event', EventSchema);

/** Routes for the stored event log and its live Server-Sent Events stream; also runs the retention purge. */
export function eventRoutes(app: App, deps: Deps): void {
  const streams = eventStreams(deps);
  const stopRetention = startEventRetention(deps);
  app.addHook('preClose', async () => streams.close());
  app.addHook('onClose', async () => stopRetention());

  app.get('/v1/events', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listEvents',
      tags, summary: 'List events, newest first (the same events and bodies webhooks deliver, kept BECKON_EVENT_RETENTION_DAYS days)',
      querystring: ListQuery,
      response: { 200: Type.Object({ events: Type.Array(EventSchema), meta: PageMeta }) },
    },
  }, async (request) => {
    const page = await listEventsPage(deps.db, request.auth.workspaceId, request.query);
    return { events: page.events, meta: { next_cursor: page.next_cursor } };
  });

  app.get('/v1/events/stream', {
    config: { scope: 'read' },
    schema: {
      operationId: 'streamEvents',
      tags,
      summary: 'Server-Sent Events: id = event id, event = type, data = the webhook body; resumes after Last-Event-ID, then goes live; a comment heartbeat every 15 s',
      querystring: StreamQuery,
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String()) }),
      response: { 200: { description: 'A text/event-stream that stays open', content: { 'text/event-stream': { schema: Type.String() } } } },
    },
  }, async (request, reply) => {
    const types = eventTypesFilter(request.query.type, 'query.type');
    const header = request.headers['last-event-id'];
    const field = header !== undefined ? 'headers.last-event-id' : 'query.last_event_id';
    const position = await startPosition(deps.db, request.auth.workspaceId, header ?? request.query.last_event_id, field);
    await streams.open(reply, request.auth.workspaceId, types, position);
  });
}
