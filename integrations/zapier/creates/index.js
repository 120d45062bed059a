'use strict';
const { api, contactRef, dict, findContact } = require('../lib/api');

const contactFields = [
  { key: 'contact_uuid', label: 'Contact UUID', required: false },
  { key: 'phone', label: 'Phone', required: false, helpText: 'Any format; stored in E.164.' },
  { key: 'email', label: 'Email', required: false },
];
const mustContact = async (z, bundle) => {
  const contact = await findContact(z, bundle, { uuid: bundle.inputData.contact_uuid, phone: bundle.inputData.phone, email: bundle.inputData.email });
  if (!contact) throw new z.errors.Error('No contact has this uuid, phone or email.', 'contact_not_found', 404);
  return contact;
};

/** Input fields of a template: one per variable of the chosen template. */
const templateVariables = async (z, bundle) => {
  if (!bundle.inputData.template_uuid) return [];
  const { template } = await api(z, bundle, 'GET', `/v1/templates/${encodeURIComponent(bundle.inputData.template_uuid)}`);
  return (template.variables || []).map((v) => ({ key: `template_values__${v}`, label: `Template variable {{${v}}}`, required: true }));
};

/** Input fields for the workspace's custom fields, listed from /v1/custom_fields. */
const customFieldInputs = async (z, bundle) => {
  const { custom_fields: fields } = await api(z, bundle, 'GET', '/v1/custom_fields');
  return fields.map((f) => ({ key: `custom_fields__${f.key}`, label: f.label || f.key, required: false, type: f.type === 'number' ? 'number' : f.type === 'checkbox' ? 'boolean' : 'string' }));
};

/** The values of prefixed input fields (custom_fields__plan → { plan }). */
const prefixed = (input, prefix) => dict(Object.fromEntries(Object.entries(input).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])));

/** Positional values ({ 1: 'a', 2: 'b' }) as the array Beckon takes; named ones as they are. */
const templateValues = (values) => {
  const keys = Object.keys(values);
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k)) ? keys.sort((a, b) => a - b).map((k) => String(values[k])) : values;
};

const upsertContact = async (z, bundle) => {
  const input = bundle.inputData;
  const record = dict({ name: input.name, phone: input.phone, email: input.email, tags: input.tags, custom_fields: prefixed(input, 'custom_fields__') });
  if (record.custom_fields && Object.keys(record.custom_fields).length === 0) delete record.custom_fields;
  const answer = await api(z, bundle, 'POST', '/v1/contacts/batch', { contacts: [record], return_records: 'all' });
  const result = answer.results[0];
  if (!result || !result.uuid) throw new z.errors.Error(result && result.error ? result.error.detail : 'The contact was not saved.', 'contact_not_saved', 400);
  const { contact } = await api(z, bundle, 'GET', `/v1/contacts/${result.uuid}`);
  return { ...contact, result: result.status };
};

const setTag = (add) => async (z, bundle) => {
  const contact = await mustContact(z, bundle);
  const tags = add ? [...new Set([...contact.tags, bundle.inputData.tag])] : contact.tags.filter((t) => t !== bundle.inputData.tag);
  return (await api(z, bundle, 'PATCH', `/v1/contacts/${contact.uuid}`, { tags })).contact;
};

const create = (key, noun, label, description, inputFields, perform, sample) => ({ key, noun, display: { label, description }, operation: { inputFields, perform, sample } });
const contactSample = { uuid: '0193a0b0-0000-7000-8000-0000000000c1', name: 'Ada Lovelace', phone: '+14155550101', email: 'ada@example.com', tags: ['vip'], custom_fields: {} };

/** Beckon's actions. */
module.exports = [
  create('sendMessage', 'Message', 'Send Message', 'Sends a free-form message, or a template with its values, on a channel.', [
    { key: 'channel_uuid', label: 'Channel', dynamic: 'channelList.uuid.title', required: true },
    { key: 'to', label: 'To', required: true, helpText: 'A phone number (any format) or an email address.' },
    { key: 'text', label: 'Text', type: 'text', required: false, helpText: 'The message (when no template is chosen).' },
    { key: 'template_uuid', label: 'Template', dynamic: 'templateList.uuid.name', required: false, altersDynamicFields: true },
    { key: 'optin_contact', label: 'The contact opted in', type: 'boolean', required: false, helpText: 'Templates need the contact\'s opt-in; yes records it.' },
    templateVariables,
  ], async (z, bundle) => {
    const input = bundle.inputData;
    const { channel } = await api(z, bundle, 'GET', `/v1/channels/${encodeURIComponent(input.channel_uuid)}`);
    const body = { to: input.to, from: channel.type, channel_uuid: input.channel_uuid };
    if (input.template_uuid) Object.assign(body, { type: 'text', template_uuid: input.template_uuid, template_values: templateValues(prefixed(input, 'template_values__')), optin_contact: Boolean(input.optin_contact) });
    else Object.assign(body, { type: 'text', content: { text: input.text } });
    return (await api(z, bundle, 'POST', '/v1/messages/send', body)).message;
  }, { uuid: '0193a0b0-0000-7000-8000-0000000000m2', status: 'enqueued' }),

  create('createOrUpdateContact', 'Contact', 'Create or Update Contact', 'Creates a contact, or updates the one with this phone (else email).', [
    { key: 'phone', label: 'Phone', required: false }, { key: 'email', label: 'Email', required: false }, { key: 'name', label: 'Name', required: false },
    { key: 'tags', label: 'Tags', list: true, required: false }, customFieldInputs,
  ], upsertContact, contactSample),

  create('addTag', 'Tag', 'Add Tag to Contact', 'Adds a tag to a contact found by uuid, phone or email.', [...contactFields, { key: 'tag', label: 'Tag', required: true }], setTag(true), contactSample),
  create('removeTag', 'Tag', 'Remove Tag from Contact', 'Removes a tag from a contact found by uuid, phone or email.', [...contactFields, { key: 'tag', label: 'Tag', required: true }], setTag(false), contactSample),

  create('recordEvent', 'Event', 'Record Custom Event', 'Records a custom event about a contact (a new phone or email creates the contact); automations listening for it start.', [
    { key: 'name', label: 'Event name', required: true, helpText: 'snake_case, e.g. order_placed' }, ...contactFields,
    { key: 'data', label: 'Data', dict: true, required: false }, { key: 'correlation_key', label: 'Correlation key', required: false },
  ], async (z, bundle) => {
    const input = bundle.inputData;
    const body = dict({ name: input.name, contact: contactRef(input), data: dict(input.data), correlation_key: input.correlation_key });
    return (await api(z, bundle, 'POST', '/v1/events', body)).event;
  }, { uuid: '0193a0b0-0000-7000-8000-000000000e01', name: 'order_placed' }),

  create('startAutomationRun', 'Run', 'Start Automation Run', 'Starts a run of an active API-triggered automation for a contact, with data.', [
    { key: 'automation_uuid', label: 'Automation', dynamic: 'automationList.uuid.name', required: true }, ...contactFields,
    { key: 'data', label: 'Data', dict: true, required: false },
  ], async (z, bundle) => {
    const input = bundle.inputData;
    return (await api(z, bundle, 'POST', `/v1/automations/${encodeURIComponent(input.automation_uuid)}/runs`, { contact: contactRef(input), data: dict(input.data) })).run;
  }, { uuid: '0193a0b0-0000-7000-8000-0000000000f1', status: 'running' }),

  create('addNote', 'Note', 'Add Note to Conversation', 'Adds an internal note to a conversation and optionally assigns it to a user and/or team.', [
    { key: 'conversation_uuid', label: 'Conversation UUID', required: true }, { key: 'text', label: 'Note', type: 'text', required: true },
    { key: 'user_uuid', label: 'Assign to user (uuid)', required: false }, { key: 'team_uuid', label: 'Assign to team', dynamic: 'teamList.uuid.name', required: false },
  ], async (z, bundle) => {
    const input = bundle.inputData;
    const path = `/v1/conversations/${encodeURIComponent(input.conversation_uuid)}`;
    const { note } = await api(z, bundle, 'POST', `${path}/messages`, { text: input.text, private: true });
    const assign = dict({ user_uuid: input.user_uuid, team_uuid: input.team_uuid });
    const conversation = Object.keys(assign).length > 0 ? (await api(z, bundle, 'POST', `${path}/assign`, assign)).conversation : undefined;
    return { ...note, conversation };
  }, { uuid: '0193a0b0-0000-7000-8000-0000000000n1', text: 'Called back, all good' }),
];
module.exports.upsertContact = upsertContact;
