// What the isolation sweep needs to know beyond the route table and /openapi.json: which kind of record each path
// parameter and body reference names, and a valid body per operation (so an answer depends on the id, not on validation).
import type { Seeded } from '../fuzz/fixtures.ts';

/** The kind of record a path parameter names, by route (first match wins). */
export const PATH_KINDS: readonly [RegExp, keyof Seeded][] = [
  [/^\/v1\/api_keys\/:uuid/, 'apiKey'],
  [/^\/v1\/contacts\/phone\/:number/, 'phone'],
  [/^\/v1\/contacts\/:uuid/, 'contact'],
  [/^\/v1\/custom_fields\/:uuid/, 'customField'],
  [/^\/v1\/imports\/:uuid/, 'importId'],
  [/^\/v1\/channels\/:uuid/, 'channel'],
  [/^\/v1\/templates\/:uuid/, 'template'],
  [/^\/v1\/messages\/(status\/)?:uuid/, 'message'],
  [/^\/v1\/webhooks\/deliveries\/:uuid/, 'delivery'],
  [/^\/v1\/webhooks\/:uuid/, 'webhook'],
  [/^\/v1\/segments\/:uuid\/contacts/, 'staticSegment'],
  [/^\/v1\/segments\/:uuid/, 'segment'],
  [/^\/v1\/campaigns\/:uuid/, 'campaign'],
  [/^\/v1\/automations\/:uuid/, 'automation'],
  [/^\/v1\/automation_runs\/:uuid/, 'automationRun'],
  [/^\/v1\/users\/:uuid/, 'user'],
  [/^\/v1\/teams\/:uuid/, 'team'],
  [/^\/v1\/custom_statuses\/:uuid/, 'customStatus'],
  [/^\/v1\/conversations\/:uuid/, 'conversation'],
  [/^\/v1\/funnels\/:uuid/, 'funnel'],
  // the Callbell-compatible surface (its bsuid route answers 404 to any value)
  [/^\/compat\/callbell\/v1\/contacts\/phone\/:number/, 'phone'],
  [/^\/compat\/callbell\/v1\/contacts\/(bsuid\/)?:(uuid|bsuid)/, 'contact'],
  [/^\/compat\/callbell\/v1\/messages\/(status\/)?:uuid/, 'message'],
  [/^\/compat\/callbell\/v1\/teams\/:uuid/, 'team'],
  [/^\/compat\/callbell\/v1\/users\/:uuid/, 'user'],
  [/^\/compat\/callbell\/v1\/custom_status(es)?\/:id/, 'customStatus'],
  [/^\/compat\/callbell\/v1\/templates\/:uuid/, 'template'],
  [/^\/compat\/callbell\/v1\/channels\/:uuid/, 'channel'],
  // a Zapier hook is a webhook endpoint of origin zapier: another workspace's endpoint is unknown there too
  [/^\/v1\/hooks\/:id/, 'webhook'],
];

/** Routes whose path parameters name no record (nothing to sweep), with the reason. */
export const FREE_PATHS: Record<string, string> = {
  'GET /v1/hooks/samples/:event': 'an event type, not a record: samples are read from the calling workspace\'s own events',
};

/** The kind of a route's path parameters after the first (the first: PATH_KINDS), by name. */
export const PATH_PARAM_KINDS: Record<string, keyof Seeded> = {
  user_uuid: 'user',
};

/** The kind of record a body field or query parameter refers to, by its name. */
export const FIELD_KINDS: Record<string, keyof Seeded> = {
  channel_uuid: 'channel',
  template_uuid: 'template',
  contact_uuid: 'contact',
  'contact.uuid': 'contact',
  contact_uuids: 'contact',
  user_uuid: 'user',
  user_uuids: 'user',
  segment_uuids: 'staticSegment',
  exclude_segment_uuids: 'segment',
  last_event_id: 'event',
  phone: 'phone',
  email: 'email',
  'last-event-id': 'event',
  team_uuid: 'team',
  funnel_stage_uuid: 'funnelStage',
};

/** Reference-looking fields that name nothing Beckon stores, with the reason they are not swept. */
export const FREE_FIELDS: Record<string, string> = {};

/** Values that name no record of any workspace, by kind (an unknown id as the other workspace would see it). */
export const UNKNOWN: Partial<Record<keyof Seeded, string>> = { phone: '+14155550000', email: 'nobody@example.com' };

let made = 0;

/** A number not used before: creating bodies vary with it, so a second create is not refused as a duplicate. */
function fresh(): string {
  return String(++made).padStart(4, '0');
}

/** A valid body for an operation, built from the calling workspace's own records (operations missing here send {} or nothing). */
export const VALID_BODIES: Record<string, (own: Seeded) => unknown> = {
  updateContact: () => ({ name: 'Changed' }),
  createApiKey: () => ({ name: `sweep ${fresh()}` }),
  createTeam: () => ({ name: `Sweep ${fresh()}` }),
  updateTeam: () => ({ name: 'Changed' }),
  setTeamMembers: (own) => ({ user_uuids: [own.user] }),
  addTeamMember: (own) => ({ user_uuid: own.user }),
  updateUser: () => ({ name: 'Changed' }),
  updateCustomField: () => ({ label: 'Changed' }),
  updateChannel: () => ({ title: 'Changed' }),
  updateTemplate: () => ({ body: 'Changed {{1}}' }),
  callbellUpdateChannel: () => ({ title: 'Changed' }),
  callbellUpdateTemplate: () => ({ title: `changed_${fresh()}` }),
  updateWebhook: () => ({ description: 'Changed' }),
  updateSegment: () => ({ name: 'Changed' }),
  addSegmentContacts: (own) => ({ contact_uuids: [own.contact2] }),
  removeSegmentContacts: (own) => ({ contact_uuids: [own.contact] }),
  updateCampaign: () => ({ name: 'Changed' }),
  updateAutomation: () => ({ name: 'Changed' }),
  startAutomationRun: (own) => ({ contact: { uuid: own.contact2 } }),
  scheduleCampaign: () => ({ send_at: '2099-01-01T09:00:00Z' }),
  testCampaign: (own) => ({ contact_uuids: [own.contact] }),
  createContact: (own) => ({ phone: `+1415558${fresh()}`, channel_uuid: own.channel }),
  createTemplate: (own) => ({ name: `sweep_${fresh()}`, channel_type: 'whatsapp', language: 'en', category: 'UTILITY', body: 'Hi', channel_uuid: own.channel }),
  syncTemplates: (own) => ({ channel_uuid: own.channel }),
  sendMessage: (own) => ({ to: own.phone, from: 'whatsapp', type: 'text', content: { text: 'Hi' }, channel_uuid: own.channel }),
  simulateSandboxInbound: (own) => ({ channel_uuid: own.channel, from: own.phone, text: 'Hi' }),
  recordEvent: (own) => ({ name: 'sweep_event', contact: { uuid: own.contact }, data: { n: fresh() } }),
  startConversation: (own) => ({ contact_uuid: own.contact2, channel_uuid: own.channel, team_uuid: own.team }),
  updateConversation: (own) => ({ priority: 'high', funnel_stage_uuid: own.funnelStage, team_uuid: own.team }),
  assignConversation: (own) => ({ user_uuid: own.user, team_uuid: own.team }),
  setConversationStatus: () => ({ status: 'resolved' }),
  replyInConversation: () => ({ text: 'Noted', private: true }),
  createFunnel: () => ({ name: `Sweep ${fresh()}`, stages: [{ name: 'One' }] }),
  updateFunnel: () => ({ name: 'Changed' }),
  createCampaign: (own) => ({ name: 'Sweep', channel_uuid: own.channel, segment_uuids: [own.staticSegment], exclude_segment_uuids: [own.segment], content: { text: 'Hi' } }),
};

/** References the schema walk cannot place (inside segment rules, inside arrays of objects): operation, body builder and kind. */
export const RULE_REFERENCES: readonly { operationId: string; method: string; url: string; body: (ref: string) => unknown; kind: keyof Seeded }[] = [
  { operationId: 'previewSegment', method: 'POST', url: '/v1/segments/preview', body: (ref) => ({ rules: { field: 'segment', op: 'eq', value: ref } }), kind: 'segment' },
  { operationId: 'createSegment', method: 'POST', url: '/v1/segments', body: (ref) => ({ name: `Sweep ${fresh()}`, type: 'dynamic', rules: { all: [{ field: 'segment', op: 'neq', value: ref }] } }), kind: 'segment' },
  { operationId: 'previewSegment', method: 'POST', url: '/v1/segments/preview', body: (ref) => ({ rules: { field: 'campaign.opened', op: 'eq', value: ref } }), kind: 'campaign' },
  { operationId: 'recordEventBatch', method: 'POST', url: '/v1/events/batch', body: (ref) => ({ events: [{ name: 'sweep_event', contact: { uuid: ref } }] }), kind: 'contact' },
];
