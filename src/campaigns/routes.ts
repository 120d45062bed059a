import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import {
  CampaignSchema, CreateCampaignBody, ListCampaignsQuery, ScheduleBody, StatsSchema, TestSendBody, TestSendReply, UpdateCampaignBody,
} from './schema.ts';
import {
  cancelCampaign, createCampaign, deleteCampaign, getCampaign, listCampaigns, pauseCampaign, resumeCampaign, scheduleCampaign, sendCampaign,
  unscheduleCampaign, updateCampaign,
} from './service.ts';
import { campaignStats } from './stats.ts';
import { testSendCampaign } from './test-send.ts';
import { PageMeta, UuidParams } from '../system/schemas.ts';

const tags = ['campaigns'];
const One = Type.Object({ campaign: CampaignSchema });
const List = Type.Object({ campaigns: Type.Array(CampaignSchema), meta: PageMeta });
const LIQUID_DOC = 'subject, content.text, content.html and template values are Liquid templates rendered per contact ({{ contact.name | default: "there" }}, '
  + 'contact.first_name, phone, email, tags, custom_fields.<key>); a syntax error or an unknown filter is a 400 naming the field (docs/campaigns.md).';

/** Routes for campaigns: create, read, change, delete, schedule, send, pause, resume, cancel, test sends and statistics. */
export function campaignRoutes(app: App, deps: Deps): void {
  app.post('/v1/campaigns', {
    config: { scope: 'full' },
    schema: {
      operationId: 'createCampaign',
      tags, body: CreateCampaignBody, response: { 201: One }, summary: 'Create a draft campaign',
      description: 'A message (content, or an approved template with template_values) on one channel to the contacts of segment_uuids minus exclude_segment_uuids. '
        + 'Email campaigns need a subject. ' + LIQUID_DOC,
    },
  }, async (request, reply) => reply.code(201).send({ campaign: await createCampaign(deps, request.auth.workspaceId, request.body) }));

  app.get('/v1/campaigns', {
    config: { scope: 'read' },
    schema: { operationId: 'listCampaigns', tags, querystring: ListCampaignsQuery, response: { 200: List }, summary: 'List campaigns, newest first', description: 'Pages of `limit` (1-100, default 20); pass meta.next_cursor as `cursor`; filter by `status`.' },
  }, async (request) => listCampaigns(deps, request.auth.workspaceId, request.query));

  app.get('/v1/campaigns/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getCampaign', tags, params: UuidParams, response: { 200: One }, summary: 'Get a campaign' },
  }, async (request) => ({ campaign: await getCampaign(deps, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/campaigns/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateCampaign',
      tags, params: UuidParams, body: UpdateCampaignBody, response: { 200: One }, summary: 'Change a draft or scheduled campaign',
      description: 'Any field; null clears subject, content, template_uuid or template_values. The result is checked as on create. 409 `conflict` once it is sending. ' + LIQUID_DOC,
    },
  }, async (request) => ({ campaign: await updateCampaign(deps, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/campaigns/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'deleteCampaign',
      tags, params: UuidParams, response: { 200: Type.Object({ status: Type.Literal('campaign was destroyed') }) }, summary: 'Delete a campaign',
      description: 'A draft, scheduled, completed or cancelled campaign (its recipients go with it; its messages stay). 409 while sending or paused: cancel it first.',
    },
  }, async (request) => {
    await deleteCampaign(deps, request.auth.workspaceId, request.params.uuid);
    return { status: 'campaign was destroyed' as const };
  });

  app.post('/v1/campaigns/:uuid/schedule', {
    config: { scope: 'full' },
    schema: {
      operationId: 'scheduleCampaign',
      tags, params: UuidParams, body: ScheduleBody, response: { 200: One }, summary: 'Schedule a draft campaign (or reschedule a scheduled one)',
      description: 'send_at is an ISO 8601 date-time with an offset, or a local wall time (2030-01-15T09:00) read in the IANA time_zone; it must be in the future. '
        + 'The campaign starts sending then. 409 `conflict` (with `campaign_status`) from another status.',
    },
  }, async (request) => ({ campaign: await scheduleCampaign(deps, request.auth.workspaceId, request.params.uuid, request.body) }));

  const step = (path: string, summary: string, description: string, run: typeof sendCampaign) => {
    app.post(`/v1/campaigns/:uuid/${path}`, {
      config: { scope: 'full' },
      schema: { operationId: `${path}Campaign`, tags, params: UuidParams, response: { 200: One }, summary, description: `${description} An illegal transition is a 409 \`conflict\` naming the current status in \`campaign_status\`.` },
    }, async (request) => ({ campaign: await run(deps, request.auth.workspaceId, request.params.uuid) }));
  };
  step('send', 'Send a draft or scheduled campaign now', 'The audience is frozen when sending starts (each contact once), then messages go out in batches at the channel\'s rate.', sendCampaign);
  step('unschedule', 'Take a scheduled campaign back to draft', 'Its send_at is cleared.', unscheduleCampaign);
  step('pause', 'Pause a sending campaign', 'The batch in progress finishes; resume continues from the first recipient not processed.', pauseCampaign);
  step('resume', 'Resume a paused campaign', 'Sending continues from the first recipient not processed.', resumeCampaign);
  step('cancel', 'Cancel a scheduled, sending or paused campaign', 'Recipients not processed yet are skipped with reason `cancelled`; messages already enqueued still go out.', cancelCampaign);

  app.post('/v1/campaigns/:uuid/test', {
    config: { scope: 'full' },
    schema: {
      operationId: 'testCampaign',
      tags, params: UuidParams, body: TestSendBody, response: { 200: TestSendReply }, summary: 'Send the campaign\'s message now to up to 10 contacts, as a test',
      description: 'Rendered for each contact; not counted in the campaign\'s statistics nor audience (metadata campaign_uuid and campaign_test "true"). Blocked, opted-out, '
        + 'outside-the-window and address-less contacts get a skip_reason instead of a message (no opt-in is needed for a test).',
    },
  }, async (request) => ({ results: await testSendCampaign(deps, request.auth.workspaceId, request.params.uuid, request.body.contact_uuids) }));

  app.get('/v1/campaigns/:uuid/stats', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getCampaignStats',
      tags, params: UuidParams, response: { 200: StatsSchema }, summary: 'A campaign\'s statistics',
      description: 'Recipients, pending, sent, delivered, read (cumulative: a read message was sent and delivered), failed, skipped by reason, human opens and clicks '
        + '(machine opens apart), clicks per link, unsubscribes, rates (delivery = delivered/sent; open, click, unsubscribe = unique contacts/delivered) and an hourly timeline.',
    },
  }, async (request) => campaignStats(deps.db, request.auth.workspaceId, request.params.uuid));
}
