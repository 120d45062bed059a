import assert from 'node:assert/strict';
import type { TestBeckon } from './helpers.ts';
import { waitFor } from './helpers.ts';

/** Creates a contact and returns its uuid. */
export async function contact(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().contact.uuid;
}

/** Consent JSON opting a contact in to these channel types. */
export function optedIn(...types: string[]): Record<string, { status: string }> {
  return Object.fromEntries(types.map((t) => [t, { status: 'opted_in' }]));
}

/** Creates a static segment holding these contacts and returns its uuid. */
export async function staticSegment(beckon: TestBeckon, name: string, contactIds: string[], key?: string): Promise<string> {
  const created = await beckon.call('POST', '/v1/segments', { body: { name, type: 'static' }, key });
  assert.equal(created.statusCode, 201, created.body);
  const uuid = created.json().segment.uuid as string;
  if (contactIds.length > 0) {
    const added = await beckon.call('POST', `/v1/segments/${uuid}/contacts`, { body: { contact_uuids: contactIds }, key });
    assert.equal(added.statusCode, 200, added.body);
  }
  return uuid;
}

/** The uuid of the workspace's default (permissive sandbox) WhatsApp channel. */
export async function whatsappChannel(beckon: TestBeckon, key?: string): Promise<string> {
  const response = await beckon.call('GET', '/v1/channels', { key });
  assert.equal(response.statusCode, 200, response.body);
  const channel = response.json().channels.find((c: { type: string }) => c.type === 'whatsapp');
  return channel.uuid;
}

/** Creates a sandbox channel of a type and returns its uuid. */
export async function sandboxChannel(beckon: TestBeckon, type: string, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/channels', { key, body: { type, provider: 'sandbox', title: `Sandbox ${type}` } });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().channel.uuid;
}

/** Creates a campaign (expecting 201) and returns its view. */
export async function createCampaign(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<Record<string, any>> {
  const response = await beckon.call('POST', '/v1/campaigns', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().campaign;
}

/** Runs a lifecycle step (send, pause, …) expecting 200, and returns the campaign view. */
export async function step(beckon: TestBeckon, uuid: string, action: string, body?: unknown, key?: string): Promise<Record<string, any>> {
  const response = await beckon.call('POST', `/v1/campaigns/${uuid}/${action}`, { body: body ?? {}, key });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().campaign;
}

/** Waits until the campaign reaches a status. */
export async function waitForStatus(beckon: TestBeckon, uuid: string, status: string, key?: string): Promise<Record<string, any>> {
  return waitFor(`campaign ${status}`, async () => {
    const campaign = (await beckon.call('GET', `/v1/campaigns/${uuid}`, { key })).json().campaign;
    return campaign.status === status ? campaign : undefined;
  });
}

/** The campaign's recipients as stored, in position order. */
export async function recipients(beckon: TestBeckon, uuid: string) {
  return beckon.runtime.deps.db.selectFrom('campaign_recipients').selectAll().where('campaign_id', '=', uuid).orderBy('position').execute();
}

/** The campaign's messages as stored. */
export async function campaignMessages(beckon: TestBeckon, uuid: string) {
  return beckon.runtime.deps.db.selectFrom('messages').selectAll().where('campaign_id', '=', uuid).orderBy('id').execute();
}
