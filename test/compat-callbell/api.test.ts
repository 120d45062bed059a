import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../helpers.ts';
import { assertShape } from './shape.ts';
import * as F from './fixtures.ts';

const BASE = '/compat/callbell';
/** Callbell's snippets send this header on every request, body-less GET, DELETE and POST included. */
const JSON_HEADER = { 'content-type': 'application/json' };

function hex(uuid: string): string {
  return uuid.replace(/-/g, '');
}

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const call = (method: F.Fixture['method'], path: string, body?: unknown, key?: string) =>
    beckon.call(method, BASE + path, { body: body === undefined ? undefined : JSON.stringify(body), headers: JSON_HEADER, ...(key ? { key } : {}) });
  return { beckon, call };
}

async function template(beckon: TestBeckon, name: string, body: string, header?: { format: string }): Promise<string> {
  const made = await beckon.call('POST', '/v1/templates', { body: { name, language: 'en_US', category: 'MARKETING', channel_type: 'whatsapp', body, ...(header ? { header } : {}) } });
  assert.equal(made.statusCode, 201, made.body);
  return made.json().template.uuid;
}

test('callbell messages: every documented send example answers as documented; status; delete in both documented forms', async (t) => {
  const { beckon, call } = await setup(t);
  const one = await template(beckon, 'one_var', 'Hello {{1}}, this is a template message example');
  const three = await template(beckon, 'three_vars', 'Hello {{1}}, this is a template {{2}} example. {{3}}!');
  const media: Record<string, string> = {};
  for (const format of ['IMAGE', 'VIDEO', 'DOCUMENT']) media[format] = await template(beckon, `media_${format.toLowerCase()}`, 'Hello {{1}}, here is your file', { format });
  const ids: string[] = [];
  for (const fixture of F.SEND_FIXTURES) {
    let json = JSON.stringify(fixture.body).replace('":template3"', JSON.stringify(hex(three))).replace('":template"', JSON.stringify(hex(one)));
    for (const [format, uuid] of Object.entries(media)) json = json.replace(`":template${format}"`, JSON.stringify(hex(uuid)));
    const body = JSON.parse(json);
    const answer = await call(fixture.method, fixture.path, body);
    assert.equal(answer.statusCode, fixture.status, `${fixture.source}: ${answer.body}`);
    // a contact made by the send has no name or email yet (Callbell's example shows a known contact)
    // (nor a conversation: conversation.href is null until the contact writes in; contacts-inbox.test.ts has one)
    assertShape(answer.json(), fixture.response, { nullable: ['message.contact.name', 'message.contact.email', 'message.conversation.href'] });
    assert.equal(answer.json().message.status, 'enqueued', fixture.source);
    ids.push(answer.json().message.uuid);
  }
  // fields=conversation,contact: the contact the message went to
  const withFields = (await beckon.call('GET', `/v1/messages/${ids.at(-1)}`)).json().message;
  const last = (await call('POST', '/v1/messages/send', F.SEND_FIXTURES.at(-1)!.body)).json().message;
  assert.equal(last.contact.uuid, withFields.contact.uuid);
  assert.equal(last.contact.phone, '+31612345678');
  assert.equal(last.conversation.source, 'whatsapp');
  // template values: content.text fills a one-variable template; template_values fill the rest (R/messages_api/post_send_messages.md)
  const sentTemplate = (await beckon.call('GET', `/v1/messages/${ids[9]}`)).json().message;
  assert.deepEqual(sentTemplate.template_values, ['John Doe']);
  const sentThree = (await beckon.call('GET', `/v1/messages/${ids[10]}`)).json().message;
  assert.deepEqual(sentThree.template_values, ['Jack', 'template', 'Cheers']);
  // a media template: the header shows content.url, content.text fills the variable (S/messages_api/_post_messages_template_image.mdx …)
  for (const [i, format, url] of [[12, 'IMAGE', 'https://example.com/valid_image.jpeg'], [13, 'VIDEO', 'https://example.com/valid_video.mp4'], [14, 'DOCUMENT', 'https://example.com/valid_document.pdf']] as const) {
    const sentMedia = (await beckon.call('GET', `/v1/messages/${ids[i]}`)).json().message;
    assert.deepEqual([sentMedia.template_uuid, sentMedia.template_values, sentMedia.content.url], [media[format], ['John Doe'], url], JSON.stringify(sentMedia));
  }
  // S/messages_api/_get_messages.mdx is the status request again (GET /messages/status/:uuid), replayed below
  // metadata is kept; assigned_user is named as ignored
  assert.deepEqual((await beckon.call('GET', `/v1/messages/${ids[8]}`)).json().message.metadata, { customer_id: '123456', sent_from: 'backend_api' });
  const assigned = await call('POST', '/v1/messages/send', F.SEND_FIXTURES[7].body);
  assert.equal(assigned.headers['beckon-ignored-fields'], 'body.assigned_user');

  // S/messages_api/_get_message_status.mdx → R/object_types/message_send_request.md
  const status = await call('GET', `/v1/messages/status/${hex(ids[0])}`);
  assert.equal(status.statusCode, 200);
  assertShape(status.json(), F.STATUS_EXAMPLE);
  assert.equal(status.json().message.uuid, ids[0]);

  // R/messages_api/delete_message.md: DELETE /messages/:uuid → 204; S/messages_api/_delete_message.mdx: DELETE /messages {"uuid"}
  const byPath = await call('DELETE', `/v1/messages/${hex(ids[0])}`);
  assert.equal(byPath.statusCode, 204);
  assert.equal(byPath.body, '');
  const byBody = await call('DELETE', '/v1/messages', { uuid: hex(ids[1]) });
  assert.equal(byBody.statusCode, 204);
  assert.equal((await beckon.call('GET', `/v1/messages/${ids[1]}`)).statusCode, 404);
  // an unknown message: Callbell's error keys in Beckon's problem body
  const missing = await call('DELETE', `/v1/messages/${hex(ids[1])}`);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'not_found');
  assert.equal(missing.json().error, 'message not found');

  // bsuid alone is not supported: a 422 naming body.bsuid
  const bsuid = await call('POST', '/v1/messages/send', { bsuid: 'US.13491208655302741918', from: 'whatsapp', type: 'text', content: { text: 'Hi' } });
  assert.equal(bsuid.statusCode, 422);
  assert.equal(bsuid.json().errors[0].path, 'body.bsuid');
});

test('callbell contacts: create (both documented paths), get, by phone, list by page, update, messages, delete, as documented', async (t) => {
  const { beckon, call } = await setup(t);
  for (const body of [{ key: 'billing_address', label: 'Billing Address', type: 'text' }, { key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'] }, { key: 'vip', label: 'VIP', type: 'checkbox' }]) {
    assert.equal((await beckon.call('POST', '/v1/custom_fields', { body })).statusCode, 201);
  }
  // S/contacts_api/_post_contacts.mdx posts to /contacts/<uuid> with identifier "123456789": Beckon needs the international form
  const local = await call('POST', '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8', { source: 'whatsapp', identifier: '123456789', name: 'John Doe' });
  assert.equal(local.statusCode, 400);
  assert.equal(local.json().errors[0].path, 'body.identifier');
  const created = await call('POST', '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8', { source: 'whatsapp', identifier: '+31 6 12345678', name: 'John Doe' });
  assert.equal(created.statusCode, 200, created.body);
  assertShape(created.json(), { contact: F.CONTACT_EXAMPLE }, F.CONTACT_OPTIONS);
  const uuid = created.json().contact.uuid as string;
  assert.equal(created.json().contact.phoneNumber, '+31612345678');
  assert.equal(created.json().contact.source, 'whatsapp');
  // R/contacts_api/post_contacts.md: custom_fields by display name, a checkbox as a list; tags; note and team are named as ignored
  const full = await call('POST', '/v1/contacts', {
    identifier: '+39 333 123 4567', name: 'Mario Rossi', tags: ['sales', 'lead'], source: 'api',
    custom_fields: { 'Billing Address': '3 Abbey Rd, London', Plan: 'pro', VIP: ['VIP'] }, note: 'called',
  });
  assert.equal(full.statusCode, 200, full.body);
  assert.deepEqual(full.json().contact.customFields, { 'Billing Address': '3 Abbey Rd, London', Plan: 'pro', VIP: 'true' });
  assert.deepEqual(full.json().contact.tags, ['sales', 'lead']);
  assert.equal(full.headers['beckon-ignored-fields'], 'body.note');
  const bad = await call('POST', '/v1/contacts', { identifier: '+39 333 123 4568', custom_fields: { Unknown: 'x', Plan: 'gold' } });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['body.custom_fields.Unknown']);
  const badOption = await call('POST', '/v1/contacts', { identifier: '+39 333 123 4568', custom_fields: { Plan: 'gold' } });
  assert.equal(badOption.statusCode, 400);
  assert.equal(badOption.json().errors[0].path, 'body.custom_fields.plan');

  // S/contacts_api/_get_contact.mdx → R/contacts_api/get_contact.md (its example wraps the contact in an array; the Contact table says object)
  const got = await call('GET', `/v1/contacts/${hex(uuid)}`);
  assert.equal(got.statusCode, 200);
  assertShape(got.json(), { contact: F.CONTACT_EXAMPLE }, F.CONTACT_OPTIONS);
  const typed = await call('GET', `/v1/contacts/${hex(full.json().contact.uuid)}?include_field_types=true`);
  assert.deepEqual(typed.json().contact.customFieldsMetadata.Plan, { value: 'pro', type: 'dropdown', options: ['free', 'pro'] });
  assert.deepEqual(typed.json().contact.customFieldsMetadata.VIP, { value: ['VIP'], type: 'checkbox' });
  // S/contacts_api/_get_contact_by_phone.mdx
  const byPhone = await call('GET', '/v1/contacts/phone/31612345678');
  assert.equal(byPhone.statusCode, 200);
  assert.equal(byPhone.json().contact.uuid, uuid);
  // S/contacts_api/_get_contact_by_bsuid.mdx → R/contacts_api/get_contact_by_bsuid.md: Beckon stores no BSUID (404)
  assert.equal((await call('GET', '/v1/contacts/bsuid/US.13491208655302741918')).statusCode, 404);
  // S/contacts_api/_get_contacts.mdx → R/contacts_api/get_contacts.md; ?page and ?tags
  const list = await call('GET', '/v1/contacts');
  assert.equal(list.statusCode, 200);
  assertShape(list.json(), { contacts: [F.CONTACT_EXAMPLE] }, F.CONTACT_OPTIONS);
  assert.deepEqual(list.json().contacts.map((c: { uuid: string }) => c.uuid), [full.json().contact.uuid, uuid]);
  assert.deepEqual((await call('GET', '/v1/contacts?page=2')).json().contacts, []);
  assert.deepEqual((await call('GET', '/v1/contacts?tags=sales,lead')).json().contacts.map((c: { uuid: string }) => c.uuid), [full.json().contact.uuid]);
  assert.equal((await call('GET', '/v1/contacts?page=0')).statusCode, 400);
  // S/contacts_api/_patch_contacts.mdx
  const patched = await call('PATCH', `/v1/contacts/${hex(uuid)}`, { name: 'Joe Doe NEW' });
  assert.equal(patched.statusCode, 200);
  assertShape(patched.json(), { contact: F.CONTACT_EXAMPLE }, F.CONTACT_OPTIONS);
  assert.equal(patched.json().contact.name, 'Joe Doe NEW');
  const unknownUser = await call('PATCH', `/v1/contacts/${full.json().contact.uuid}`, { custom_fields: { VIP: [] }, assigned_user: 'john.doe@email.com' });
  assert.equal(unknownUser.statusCode, 400);
  assert.deepEqual(unknownUser.json().errors.map((e: { path: string }) => e.path), ['body.assigned_user']);
  const noThread = await call('PATCH', `/v1/contacts/${full.json().contact.uuid}`, { bot_status: 'bot_start' });
  assert.equal(noThread.statusCode, 409, 'no conversation and no channel_uuid');
  assert.deepEqual(noThread.json().errors.map((e: { path: string }) => e.path), ['body.bot_status']);
  const unknownChannel = await call('PATCH', `/v1/contacts/${full.json().contact.uuid}`, { custom_fields: { VIP: [] }, channel_uuid: 'f3670b13446b412796238b1cd78899f9' });
  assert.deepEqual([unknownChannel.statusCode, unknownChannel.json().errors[0].path], [400, 'body.channel_uuid']);
  const sandbox = (await beckon.call('GET', '/v1/channels')).json().channels[0].uuid as string;
  const unchecked = await call('PATCH', `/v1/contacts/${full.json().contact.uuid}`, { custom_fields: { VIP: [] }, channel_uuid: hex(sandbox) });
  assert.equal(unchecked.json().contact.customFields.VIP, 'false');
  assert.equal(unchecked.headers['beckon-ignored-fields'], 'body.channel_uuid');

  // S/contacts_api/_get_contact_messages.mdx → R/contacts_api/get_contact_messages.md
  const sent = await call('POST', '/v1/messages/send', { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'Hello there how can I help you?' } });
  assert.equal(sent.statusCode, 200);
  const messages = await call('GET', `/v1/contacts/${hex(uuid)}/messages?page=1`);
  assert.equal(messages.statusCode, 200);
  assertShape(messages.json(), F.CONTACT_MESSAGES_EXAMPLE, { nullable: ['meta.next'] });
  assert.deepEqual(messages.json().messages.map((m: { uuid: string; status: string; text: string }) => [m.uuid, m.status, m.text]), [[sent.json().message.uuid, 'sent', 'Hello there how can I help you?']]);
  assert.deepEqual(messages.json().meta, { page: 1, pages: 1, next: null });
  // 51 more messages: two pages of 50; the cursor form (?after=<meta.next>, page ignored) walks the same messages
  const texts: string[] = [];
  for (let i = 1; i <= 51; i++) {
    texts.unshift(`m${i}`);
    assert.equal((await call('POST', '/v1/messages/send', { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: `m${i}` } })).statusCode, 200);
  }
  const all = [...texts, 'Hello there how can I help you?'];
  const first = (await call('GET', `/v1/contacts/${hex(uuid)}/messages`)).json();
  assert.deepEqual([first.messages.map((m: { text: string }) => m.text), first.meta.page, first.meta.pages, typeof first.meta.next], [all.slice(0, 50), 1, 2, 'string']);
  const second = (await call('GET', `/v1/contacts/${hex(uuid)}/messages?page=2`)).json();
  assert.deepEqual([second.messages.map((m: { text: string }) => m.text), second.meta], [all.slice(50), { page: 2, pages: 2, next: null }]);
  const cursor = await call('GET', `/v1/contacts/${hex(uuid)}/messages?after=${first.meta.next}&page=7`);
  assert.equal(cursor.statusCode, 200, cursor.body);
  assertShape(cursor.json(), F.CONTACT_MESSAGES_CURSOR_EXAMPLE, { nullable: ['meta.next'] });
  assert.deepEqual(cursor.json(), { messages: second.messages, meta: { next: null } });
  const badCursor = await call('GET', `/v1/contacts/${hex(uuid)}/messages?after=nope`);
  assert.deepEqual([badCursor.statusCode, badCursor.json().errors[0].path], [400, 'query.after']);

  // S/contacts_api/_delete_contact.mdx (with Content-Type: application/json and no body) → R/contacts_api/delete_contact.md
  const deleted = await call('DELETE', `/v1/contacts/${hex(uuid)}`);
  assert.equal(deleted.statusCode, 200, deleted.body);
  assert.deepEqual(deleted.json(), F.DELETE_CONTACT_EXAMPLE);
  assert.equal((await call('GET', `/v1/contacts/${uuid}`)).statusCode, 404);

  // another workspace sees none of it
  const other = await beckon.newWorkspace('other');
  assert.equal((await call('GET', `/v1/contacts/${full.json().contact.uuid}`, undefined, other)).statusCode, 404);
  assert.deepEqual((await call('GET', '/v1/contacts', undefined, other)).json().contacts, []);
});

test('callbell templates, channels and auth/me answer as documented, by page', async (t) => {
  const { beckon, call } = await setup(t);
  await template(beckon, 'welcome', 'Message text');
  // S/templates_api/_get_templates.mdx → R/template_messages_api/get_templates.md
  const templates = await call('GET', '/v1/templates');
  assert.equal(templates.statusCode, 200);
  assertShape(templates.json(), F.TEMPLATES_EXAMPLE);
  assert.equal(templates.json().templates[0].text, 'Message text');
  assert.equal(templates.json().templates[0].category, 'MARKETING');
  assert.deepEqual((await call('GET', '/v1/templates?page=2')).json(), { templates: [], meta: { page: 2, pages: 1 } });

  // S/users_api/_get_template.mdx → R/template_messages_api/get_template.md
  const uuid = templates.json().templates[0].uuid as string;
  const one = await call('GET', `/v1/templates/${hex(uuid)}`);
  assert.equal(one.statusCode, 200);
  assertShape(one.json(), F.TEMPLATE_EXAMPLE);
  assert.deepEqual(one.json(), { template: templates.json().templates[0] });
  // S/templates_api/_patch_template.mdx: a WhatsApp template's title is its name (lowercase, digits, underscores)
  const spaced = await call('PATCH', `/v1/templates/${hex(uuid)}`, F.PATCH_TEMPLATE_REQUEST);
  assert.equal(spaced.statusCode, 400);
  assert.deepEqual(spaced.json().errors.map((e: { path: string }) => e.path), ['body.title']);
  const retitled = await call('PATCH', `/v1/templates/${hex(uuid)}`, { title: 'new_title' });
  assert.equal(retitled.statusCode, 200, retitled.body);
  assertShape(retitled.json(), F.TEMPLATE_EXAMPLE);
  assert.deepEqual([retitled.json().template.uuid, retitled.json().template.title], [uuid, 'new_title']);
  assert.equal((await beckon.call('GET', `/v1/templates/${uuid}`)).json().template.name, 'new_title');
  assert.equal((await call('PATCH', `/v1/templates/${hex(uuid)}`, { title: 'x', text: 'y' })).statusCode, 400);

  // S/channels_api/_get_channels.mdx → R/channels_api/get_channels.md
  const channels = await call('GET', '/v1/channels');
  assert.equal(channels.statusCode, 200);
  assertShape(channels.json(), F.CHANNELS_EXAMPLE);
  assert.deepEqual(channels.json().channels.map((c: { type: string; main: boolean }) => [c.type, c.main]), [['whatsapp', true]]);
  assert.deepEqual((await call('GET', '/v1/channels?type=telegram')).json().channels, []);
  // S/channels_api/_get_channel.mdx → R/channels_api/get_channel.md; S/channels_api/_patch_channel.mdx → R/channels_api/patch_channel.md
  const channel = channels.json().channels[0].uuid as string;
  const gotChannel = await call('GET', `/v1/channels/${hex(channel)}`);
  assert.equal(gotChannel.statusCode, 200);
  assertShape(gotChannel.json(), F.CHANNEL_EXAMPLE);
  assert.deepEqual(gotChannel.json(), { channel: channels.json().channels[0] });
  const patchedChannel = await call('PATCH', `/v1/channels/${hex(channel)}`, F.PATCH_CHANNEL_REQUEST);
  assert.equal(patchedChannel.statusCode, 200, patchedChannel.body);
  assertShape(patchedChannel.json(), F.PATCH_CHANNEL_EXAMPLE);
  assert.deepEqual(patchedChannel.json().channel, { ...channels.json().channels[0], title: 'New title' });
  assert.equal((await beckon.call('GET', `/v1/channels/${channel}`)).json().channel.title, 'New title');
  assert.equal((await call('PATCH', `/v1/channels/${hex(channel)}`, { title: '' })).json().errors[0].path, 'body.title');

  // unknown uuid, another workspace: 404; an agent cannot retitle
  const missing = 'f3670b13446b412796238b1cd78899f9';
  for (const path of [`/v1/templates/${missing}`, `/v1/channels/${missing}`]) {
    assert.equal((await call('GET', path)).statusCode, 404, path);
    assert.equal((await call('PATCH', path, { title: 'x' })).statusCode, 404, path);
  }
  const other = await beckon.newWorkspace('other');
  for (const path of [`/v1/templates/${hex(uuid)}`, `/v1/channels/${hex(channel)}`]) {
    assert.equal((await call('GET', path, undefined, other)).statusCode, 404, path);
    assert.equal((await call('PATCH', path, { title: 'stolen' }, other)).statusCode, 404, path);
  }
  assert.equal((await beckon.call('GET', `/v1/channels/${channel}`)).json().channel.title, 'New title');

  // S/auth_api/_get_me.mdx
  const me = await call('GET', '/v1/auth/me');
  assert.equal(me.statusCode, 200);
  assertShape(me.json(), F.AUTH_ME_EXAMPLE);
  assert.equal(me.json().status, 'ok');
  assert.ok(!me.json().api_key.includes(beckon.key.slice(9)), 'never the whole key');
  const anonymous = await beckon.call('GET', `${BASE}/v1/auth/me`, { key: null });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(typeof anonymous.json().error, 'string');
});

test('callbell OpenAPI: its own document at /compat/callbell/openapi.json; the native document has none of its paths', async (t) => {
  const { beckon } = await setup(t);
  const own = await beckon.call('GET', `${BASE}/openapi.json`, { key: null });
  assert.equal(own.statusCode, 200);
  const doc = own.json();
  assert.match(doc.servers[0].url, /\/compat\/callbell$/);
  assert.ok(doc.paths['/v1/contacts/{uuid}'].patch.operationId === 'callbellUpdateContact');
  assert.ok(doc.paths['/v1/webhooks/events'].get);
  const native = (await beckon.call('GET', '/openapi.json', { key: null })).json();
  assert.deepEqual(Object.keys(native.paths).filter((p) => p.startsWith('/compat')), []);
  assert.ok(!JSON.stringify(native).includes('callbellListContacts'));
});
