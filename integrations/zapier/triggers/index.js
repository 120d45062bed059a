'use strict';
const { hookTrigger } = require('./hook');

const at = '2026-12-06T12:00:00.000Z';
const contactSample = {
  id: '0193a0b0-0000-7000-8000-000000000001', event: 'contact_created', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000c1',
  name: 'Ada Lovelace', phone: '+14155550101', email: 'ada@example.com', tags: ['vip'], source: 'api', created_at: at, updated_at: at,
};
const messageSample = {
  id: '0193a0b0-0000-7000-8000-000000000002', event: 'message_created', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000m1',
  direction: 'inbound', channel: 'whatsapp', channel_uuid: '0193a0b0-0000-7000-8000-0000000000a1', contact_uuid: contactSample.uuid,
  contact_phone: contactSample.phone, from: contactSample.phone, type: 'text', content_text: 'Hello, is my order on its way?', status: 'received', created_at: at,
};
const channelField = { key: 'channel_uuid', label: 'Channel', dynamic: 'channelList.uuid.title', required: false, helpText: 'Only messages on this channel (any when empty).' };

/** Beckon's instant triggers, each on a REST hook. */
module.exports = [
  hookTrigger({
    key: 'inboundMessage', noun: 'Message', event: 'message_created', label: 'New Inbound Message',
    description: 'Triggers when a contact sends a message, optionally on one channel and containing a keyword.',
    inputFields: [channelField, { key: 'keyword', label: 'Keyword', required: false, helpText: 'Only messages whose text contains this (case-insensitive).' }],
    filter: (input, m) => m.direction === 'inbound' && (!input.channel_uuid || m.channel_uuid === input.channel_uuid)
      && (!input.keyword || String(m.content_text || '').toLowerCase().includes(String(input.keyword).toLowerCase())),
    sample: messageSample,
  }),
  hookTrigger({
    key: 'messageStatusChanged', noun: 'Message', event: 'message_status_updated', label: 'Message Status Changed',
    description: 'Triggers when an outbound message is sent, delivered, read or fails (optionally only one status).',
    inputFields: [{ key: 'status', label: 'Status', required: false, choices: ['sent', 'delivered', 'read', 'failed'] }],
    filter: (input, m) => !input.status || m.status === input.status,
    sample: { ...messageSample, event: 'message_status_updated', direction: 'outbound', status: 'failed', error_code: 'invalid_recipient' },
  }),
  hookTrigger({ key: 'newContact', noun: 'Contact', event: 'contact_created', label: 'New Contact', description: 'Triggers when a contact is created.', sample: contactSample }),
  hookTrigger({ key: 'contactUpdated', noun: 'Contact', event: 'contact_updated', label: 'Contact Updated', description: 'Triggers when a contact changes.', sample: { ...contactSample, event: 'contact_updated' } }),
  hookTrigger({
    key: 'tagAdded', noun: 'Contact', event: 'contact_tag_added', label: 'Tag Added to Contact', description: 'Triggers when a contact gets a tag (optionally one tag).',
    inputFields: [{ key: 'tag', label: 'Tag', required: false }],
    filter: (input, e) => !input.tag || e.tag === input.tag,
    sample: { ...contactSample, event: 'contact_tag_added', tag: 'vip' },
  }),
  hookTrigger({
    key: 'conversationOpened', noun: 'Conversation', event: 'conversation_opened', label: 'Conversation Opened', description: 'Triggers when a conversation opens (or reopens).',
    sample: { id: contactSample.id, event: 'conversation_opened', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000d1', status: 'open', contact_uuid: contactSample.uuid, channel_uuid: messageSample.channel_uuid },
  }),
  hookTrigger({
    key: 'conversationClosed', noun: 'Conversation', event: 'conversation_closed', label: 'Conversation Closed', description: 'Triggers when a conversation is resolved.',
    sample: { id: contactSample.id, event: 'conversation_closed', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000d1', status: 'resolved', contact_uuid: contactSample.uuid, channel_uuid: messageSample.channel_uuid },
  }),
  hookTrigger({
    key: 'customEvent', noun: 'Event', event: (input) => `custom.${input.name}`, label: 'Custom Event Received',
    description: 'Triggers when your systems record a custom event (POST /v1/events) with this name.',
    inputFields: [{ key: 'name', label: 'Event name', required: true, helpText: 'snake_case, e.g. order_placed' }],
    sample: { id: contactSample.id, event: 'custom.order_placed', event_created_at: at, name: 'order_placed', contact_uuid: contactSample.uuid, contact_phone: contactSample.phone, data_order_id: '1001', data_total: 42.5 },
  }),
  hookTrigger({
    key: 'campaignCompleted', noun: 'Campaign', event: 'campaign_completed', label: 'Campaign Completed', description: 'Triggers when a campaign has sent to its whole audience.',
    sample: { id: contactSample.id, event: 'campaign_completed', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000e1', name: 'December newsletter', status: 'completed' },
  }),
  hookTrigger({
    key: 'automationRunFinished', noun: 'Run', event: 'automation_run_finished', label: 'Automation Run Finished',
    description: 'Triggers when an automation run completes, exits, fails or converts (optionally one automation).',
    inputFields: [{ key: 'automation_uuid', label: 'Automation', dynamic: 'automationList.uuid.name', required: false }],
    filter: (input, r) => !input.automation_uuid || r.automation_uuid === input.automation_uuid,
    sample: { id: contactSample.id, event: 'automation_run_completed', event_created_at: at, uuid: '0193a0b0-0000-7000-8000-0000000000f1', automation_uuid: '0193a0b0-0000-7000-8000-0000000000f0', contact_uuid: contactSample.uuid, status: 'completed' },
  }),
];
