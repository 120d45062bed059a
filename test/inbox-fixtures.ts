// Users, teams and user keys for the inbox tests, inserted straight into the store (the users and teams routes come
// with another change; switch these helpers to them then). Also the inbox tests' common steps.
import assert from 'node:assert/strict';
import { sha256 } from '../src/lib/hash.ts';
import { newId } from '../src/lib/ids.ts';
import type { TestBeckon } from './helpers.ts';

/** The workspace id behind a key. */
export async function workspaceOf(beckon: TestBeckon, key: string): Promise<string> {
  const row = await beckon.runtime.deps.db.selectFrom('api_keys').select('workspace_id').where('key_hash', '=', sha256(key)).executeTakeFirstOrThrow();
  return row.workspace_id;
}

/** A user of the workspace of `workspaceKey` (default the admin key) with a key of its own (scope full). */
export async function createUser(beckon: TestBeckon, name: string, options: { availability?: 'available' | 'away' | 'offline'; workspaceKey?: string } = {}): Promise<{ uuid: string; key: string }> {
  const { db } = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon, options.workspaceKey ?? beckon.key);
  const now = new Date().toISOString();
  const id = newId();
  await db.insertInto('users').values({
    id, workspace_id: workspaceId, email: `${name.toLowerCase()}.${id}@example.com`, name, role: 'agent', availability: options.availability ?? 'available',
    custom_status: null, password_hash: null, created_at: now, updated_at: now, deleted_at: null,
  }).execute();
  const key = `bk_user_${id.replaceAll('-', '')}`;
  await db.insertInto('api_keys').values({
    id: newId(), workspace_id: workspaceId, name: `${name}'s key`, prefix: key.slice(0, 10), key_hash: sha256(key), scopes: JSON.stringify(['full']),
    created_at: now, last_used_at: null, revoked_at: null, user_id: id,
  }).execute();
  return { uuid: id, key };
}

/** A team of the workspace of `workspaceKey` (default the admin key) with these members. */
export async function createTeam(beckon: TestBeckon, name: string, members: string[], options: { autoAssign?: boolean; workspaceKey?: string } = {}): Promise<string> {
  const { db } = beckon.runtime.deps;
  const workspaceId = await workspaceOf(beckon, options.workspaceKey ?? beckon.key);
  const now = new Date().toISOString();
  const id = newId();
  await db.insertInto('teams').values({ id, workspace_id: workspaceId, name, auto_assign: options.autoAssign ? 1 : 0, created_at: now, updated_at: now }).execute();
  for (const user of members) await db.insertInto('team_members').values({ team_id: id, user_id: user, created_at: now }).execute();
  return id;
}

/** Sets a user's availability. */
export async function setAvailability(beckon: TestBeckon, user: string, availability: 'available' | 'away' | 'offline'): Promise<void> {
  await beckon.runtime.deps.db.updateTable('users').set({ availability }).where('id', '=', user).execute();
}

/** The workspace's default (permissive sandbox) WhatsApp channel. */
export async function whatsappChannel(beckon: TestBeckon, key = beckon.key): Promise<string> {
  const channels = (await beckon.call('GET', '/v1/channels', { key })).json().channels as { uuid: string; type: string; is_default?: boolean }[];
  return channels.find((c) => c.type === 'whatsapp')!.uuid;
}

/** A customer message through the sandbox; returns the message. */
export async function writeIn(beckon: TestBeckon, channel: string, from: string, text = 'hello?', key = beckon.key): Promise<Record<string, any>> {
  const res = await beckon.call('POST', '/v1/sandbox/inbound', { key, body: { channel_uuid: channel, from, text } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message;
}

/** The conversations of a list query, expecting 200. */
export async function listed(beckon: TestBeckon, query: string, key = beckon.key): Promise<Record<string, any>[]> {
  const res = await beckon.call('GET', `/v1/conversations${query}`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().conversations;
}

/** The conversation of a contact, found through the list's q filter. */
export async function conversationOf(beckon: TestBeckon, phone: string, key = beckon.key): Promise<Record<string, any>> {
  const found = await listed(beckon, `?q=${encodeURIComponent(phone)}`, key);
  assert.equal(found.length, 1, `one conversation for ${phone}`);
  return found[0];
}

/** Calls a route expecting `status`; returns the JSON body. */
export async function expectCall(beckon: TestBeckon, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, status: number, body?: unknown, key = beckon.key): Promise<Record<string, any>> {
  const res = await beckon.call(method, url, { body, key });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.json();
}

/** The workspace's events of one type, newest first (up to 100). */
export async function eventsOf(beckon: TestBeckon, type: string, key = beckon.key): Promise<{ event: string; payload: Record<string, any> }[]> {
  return (await expectCall(beckon, 'GET', `/v1/events?type=${type}&limit=100`, 200, undefined, key)).events;
}
