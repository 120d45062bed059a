import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { MESSAGE_STATUSES } from '../messages/status.ts';
import { messageReport } from './service.ts';
import { nameSchema } from '../system/components.ts';
import { activityReportRoutes } from './activity-routes.ts';

const ReportQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'Start (inclusive): YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time; default: 30 days before `to`' })),
  to: Type.Optional(Type.String({ description: 'End (exclusive), same forms; default: now. At most 366 days after `from`' })),
  group_by: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('channel'), Type.Literal('status'), Type.Literal('campaign')], { default: 'day', description: 'day (UTC date), channel (channel uuid), status, or campaign (campaign uuid; null: not a campaign message)' })),
  direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
  channel_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'Only this channel\'s messages' })),
}, { additionalProperties: false });

const StatusCounts = Type.Object(Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, Type.Integer()])));

const ReportSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  group_by: Type.String(),
  groups: Type.Array(Type.Object({
    key: Type.Union([Type.String(), Type.Null()], { description: 'The day, channel uuid, status or campaign uuid' }),
    channel_type: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'group_by=channel only' })),
    total: Type.Integer(),
    by_status: StatusCounts,
  })),
  totals: Type.Object({ total: Type.Integer(), by_status: StatusCounts }),
});
nameSchema('MessageReport', ReportSchema);

/** `GET /v1/reports/messages` (message counts per day, channel, status or campaign, with counts by status) and the activity reports. */
export function reportRoutes(app: App, deps: Deps): void {
  app.get('/v1/reports/messages', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getMessageReport',
      tags: ['reports'], summary: 'Count messages created in [from, to) by day, channel, status or campaign, each group with its counts by status',
      querystring: ReportQuery, response: { 200: ReportSchema },
    },
  }, async (request) => messageReport(deps.db, request.auth.workspaceId, request.query));
  activityReportRoutes(app, deps);
}
