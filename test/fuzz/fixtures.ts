// A workspace holding one record of every kind, for the fuzz suite (so fuzzed ids reach real rows) and the isolation sweep.
import assert from 'node:assert/strict';
import type { TestBeckon } from '../helpers.ts';

/** The ids and references of a seeded workspace, by kind. */
export interface Seeded {
  contact: string;
  /** A second contact, for bodies that take contact lists. */
  contact2: string;
  phone: string;
  email: string;
  channel: string;
  emailChannel: string;
  template: string;
  segment: string;
  staticSegment: string;
  campaign: string;
  automation: string;
  automationRun: string;
  customField: string;
  webhook: string;
  delivery: string;
  message: string;
  importId: string;
  apiKey: string;
  user: string;
  team: string;
  customStatus: string;
  /** The id of one of the workspace's events (Last-Event-ID). */
  event: string;
  /** An Idempotency-Key the workspace used for a POST /v1/contacts. */
  idempotencyKey: string;
  /** The inbox: a conversation (the contact wrote in), a funnel and one of its stages. */
  conversation: string;
  funnel: string;
  funnelStage: string;
}

async function created(beckon: TestBeckon, key: string, url: string, body: unknown, field: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await beckon.call('POST', url, { key, body, headers });
  assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
  return res.json()[field];
}

/** Creates one record of every kind in the workspace of `key` (its phone numbers and emails vary with `tag`). */
export async function seedWorkspace(beckon: TestBeckon, key: string, tag: number): Promise<Seeded> {
  const phone = `+1415555${String(tag).padStart(4, '0')}`;
  const email = `seed${tag}@example.com`;
  const idempotencyKey = `seed-idempotency-${tag}`;
  const contact = (await created(beckon, key, '/v1/contacts', { phone, email, name: `Seed ${tag}`, tags: ['vip'] }, 'contact', { 'idempotency-key': idempotencyKey })).uuid;
  const contact2 = (await created(beckon, key, '/v1/contacts', { phone: `+1415556${String(tag).padStart(4, '0')}`, name: 'Second' }, 'contact')).uuid;
  const channels = (await beckon.call('GET', '/v1/channels', { key })).json().channels as { uuid: string; type: string }[];
  const channel = channels.find((c) => c.type === 'whatsapp')!.uuid;
  const emailChannel = (await created(beckon, key, '/v1/channels', { type: 'email', provider: 'sandbox', title: 'Mail' }, 'channel')).uuid;
  const template = (await created(beckon, key, '/v1/templates', { name: `seed_${tag}`, channel_type: 'whatsapp', language: 'en', category: 'UTILITY', body: 'Hi {{1}}' }, 'template')).uuid;
  const segment = (await created(beckon, key, '/v1/segments', { name: 'VIP', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'vip' } }, 'segment')).uuid;
  const staticSegment = (await created(beckon, key, '/v1/segments', { name: 'List', type: 'static' }, 'segment')).uuid;
  await created(beckon, key, `/v1/segments/${staticSegment}/contacts`, { contact_uuids: [contact] }, 'segment');
  const campaign = (await created(beckon, key, '/v1/campaigns', { name: 'Promo', channel_uuid: channel, segment_uuids: [staticSegment], content: { text: 'Hi' } }, 'campaign')).uuid;
  const automation = (await created(beckon, key, '/v1/automations', {
    name: 'Welcome', trigger: { type: 'api' }, start: 'hello',
    steps: { hello: { type: 'send_message', channel_uuid: channel, text: 'Hi', next: 'later' }, later: { type: 'wait', duration: { days: 1 } } },
  }, 'automation')).uuid;
  await created(beckon, key, `/v1/automations/${automation}/activate`, {}, 'automation');
  const automationRun = (await created(beckon, key, `/v1/automations/${automation}/runs`, { contact: { uuid: contact } }, 'run')).uuid;
  const customField = (await created(beckon, key, '/v1/custom_fields', { key: `seats_${tag}`, label: 'Seats', type: 'number' }, 'custom_field')).uuid;
  const webhook = (await created(beckon, key, '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message_created'] }, 'webhook')).uuid;
  const delivery = (await created(beckon, key, `/v1/webhooks/${webhook}/test`, {}, 'delivery')).uuid;
  const sent = await beckon.call('POST', '/v1/messages/send', { key, body: { to: phone, from: 'whatsapp', type: 'text', content: { text: 'Hello' }, channel_uuid: channel } });
  assert.ok(sent.statusCode < 300, sent.body);
  const message = sent.json().message.uuid;
  const upload = await beckon.call('POST', '/v1/imports', { key, body: `phone,name\n+1415557${String(tag).padStart(4, '0')},Imported\n`, headers: { 'content-type': 'text/csv' } });
  assert.equal(upload.statusCode, 202, upload.body);
  const importId = upload.json().import.uuid;
  const apiKey = (await created(beckon, key, '/v1/api_keys', { name: 'reader', scopes: ['read'] }, 'api_key')).uuid;
  const user = (await created(beckon, key, '/v1/users', { email: `seed${tag}@example.com`, name: `Seed ${tag}`, role: 'agent' }, 'user')).uuid;
  const team = (await created(beckon, key, '/v1/teams', { name: `Team ${tag}`, user_uuids: [user] }, 'team')).uuid;
  const customStatus = (await created(beckon, key, '/v1/custom_statuses', { name: `Status ${tag}` }, 'custom_status')).uuid;
  const inbound = await beckon.call('POST', '/v1/sandbox/inbound', { key, body: { channel_uuid: channel, from: phone, text: 'Hello?' } });
  assert.equal(inbound.statusCode, 200, inbound.body);
  const conversation = (await beckon.call('GET', `/v1/conversations?channel_uuid=${channel}`, { key })).json().conversations[0].uuid;
  const funnelRecord = await created(beckon, key, '/v1/funnels', { name: 'Sales', stages: [{ name: 'Lead' }, { name: 'Won' }] }, 'funnel');
  const events = (await beckon.call('GET', '/v1/events?limit=1', { key })).json().events;
  assert.ok(events.length > 0, 'the seeded workspace has events');
  return { contact, contact2, phone, email, channel, emailChannel, template, segment, staticSegment, campaign, automation, automationRun, customField, webhook, delivery, message, importId, apiKey, event: events[0].id, idempotencyKey,
    user, team, customStatus, conversation, funnel: funnelRecord.uuid, funnelStage: funnelRecord.stages[0].uuid };
}
