/**
 * Callbell's documented request and response examples, copied from its public docs (github.com/callbellchat/callbell-public-docs),
 * each with the file it comes from. `R/` = docs/api/reference/, `S/` = src/snippets/curl/. Ids in requests are replaced by
 * the test's own records (written `:contact`, `:message`, `:template` and sent in Callbell's 32-hex form).
 */

/** R/contacts_api/get_contacts.md, example response (first item). */
export const CONTACT_EXAMPLE = {
  uuid: '414a6d692bd645ed803f2e7ce360d4c8',
  name: 'John Doe',
  phoneNumber: '+123 456 789',
  avatarUrl: null,
  createdAt: '2020-11-13T21:08:53Z',
  source: 'whatsapp',
  href: 'https://dash.callbell.eu/contacts/414a6d692bd645ed803f2e7ce360d4c8',
  conversationHref: 'https://dash.callbell.eu/chat/f3670b13446b412796238b1cd78899f9',
  assignedUser: 'john.doe@email.com',
  tags: ['sales', 'lead'],
  customFields: { 'Stripe link': 'https://stripe.com/contacts/cus1234567', 'Billing Address': '3 Abbey Rd, London' },
};

/** Contact options: no assigned user nor conversationHref while the contact has no conversation; customFields is a record. */
export const CONTACT_OPTIONS = {
  nullable: ['assignedUser', 'contacts[].assignedUser', 'contact.assignedUser', 'conversationHref', 'contacts[].conversationHref', 'contact.conversationHref'],
  records: ['customFields', 'contacts[].customFields', 'contact.customFields'],
};

/** One replayed example: the request as documented and the documented answer. */
export interface Fixture {
  source: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  status: number;
  response: unknown;
}

const SENT = { message: { uuid: 'adf3d1216d4c4dcd908199d6700f2381', status: 'enqueued' } };

/** S/messages_api/_post_messages*.mdx request bodies, answered as R/messages_api/post_send_messages.md documents. */
export const SEND_FIXTURES: Fixture[] = [
  { source: 'S/messages_api/_post_messages.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'Hello!' } }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_image.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'image', content: { url: 'https://example.com/my_image.jpeg' } }, status: 200, response: SENT },
  // the snippet's JSON is invalid ("text: without its closing quote); sent as it means
  { source: 'S/messages_api/_post_messages_image_caption.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'image', content: { url: 'https://example.com/my_image.jpeg', text: 'This is my caption' } }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_document.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'document', content: { url: 'https://example.com/my_file.pdf' } }, status: 200, response: SENT },
  // the audio and video snippets send type "document"
  { source: 'S/messages_api/_post_messages_audio.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'document', content: { url: 'https://example.com/my_audio.mp3' } }, status: 200, response: SENT },
  { source: 'R/messages_api/post_send_messages.md (audio; the snippet says document)', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'audio', content: { url: 'https://example.com/my_audio.mp3' } }, status: 200, response: SENT },
  { source: 'R/messages_api/post_send_messages.md (video; the snippet says document)', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'video', content: { url: 'https://example.com/my_video.mp4' } }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_with_user_assignment.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'Hello! This message has an assigned user!' }, assigned_user: 'john.doe@email.com' }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_with_metadata.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'Hello! This message has an assigned user!' }, assigned_user: 'john.doe@email.com', metadata: { customer_id: '123456', sent_from: 'backend_api' } }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_template.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'John Doe' }, template_uuid: ':template', optin_contact: true }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_multi_variable_messages_template.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'John Doe' }, template_values: ['Jack', 'template', 'Cheers'], template_uuid: ':template3', optin_contact: true }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_video.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'document', content: { url: 'https://example.com/my_video.mp4' } }, status: 200, response: SENT },
  // a template with a media header: content.url is the media, content.text the one variable
  { source: 'S/messages_api/_post_messages_template_image.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'image', content: { text: 'John Doe', url: 'https://example.com/valid_image.jpeg' }, template_uuid: ':templateIMAGE', optin_contact: true }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_template_video.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'video', content: { text: 'John Doe', url: 'https://example.com/valid_video.mp4' }, template_uuid: ':templateVIDEO', optin_contact: true }, status: 200, response: SENT },
  { source: 'S/messages_api/_post_messages_template_document.mdx', method: 'POST', path: '/v1/messages/send', body: { to: '+31612345678', from: 'whatsapp', type: 'document', content: { text: 'John Doe', url: 'https://example.com/valid_document.pdf' }, template_uuid: ':templateDOCUMENT', optin_contact: true }, status: 200, response: SENT },
  {
    source: 'R/messages_api/post_send_messages.md, "Example Response (with fields=conversation,contact)"', method: 'POST', path: '/v1/messages/send',
    body: { to: '+31612345678', from: 'whatsapp', type: 'text', content: { text: 'Hello!' }, fields: 'conversation,contact' }, status: 200,
    response: {
      message: {
        uuid: 'adf3d1216d4c4dcd908199d6700f2381', status: 'enqueued',
        conversation: { source: 'whatsapp', href: 'https://dash.callbell.eu/chat/f3670b13446b412796238b1cd78899f9', createdAt: '2024-09-23T20:09:10Z' },
        contact: { uuid: 'c7b3d1216d4c4dcd908199d6700f2381', name: 'John Doe', phone: '+1234567890', email: 'john@doe.com' },
      },
    },
  },
];

/** R/object_types/message_send_request.md (GET /messages/status/:uuid answers {message: MessageSendRequest}). */
export const STATUS_EXAMPLE = { message: { uuid: 'adf3d1216d4c4dcd908199d6700f2381', status: 'enqueued', messageStatusPayload: {} } };

/** R/contacts_api/get_contact_messages.md, example response (the sent one). */
export const CONTACT_MESSAGES_EXAMPLE = {
  messages: [{ text: 'Hello there how can I help you?', createdAt: '2023-12-12T10:56:36Z', uuid: 'cf839626ac7949879b88bcffd41d34fe', status: 'sent', channel: 'whatsapp', from: '391234567890', to: '390987654321' }],
  meta: { page: 1, pages: 5, next: 'eyJ0cyI6MTcwMTM3NTIxNjAwMCwiaWQiOjQyfQ' },
};

/** R/contacts_api/get_contact_messages.md, "Cursor Pagination" (cursor mode: `?after=<meta.next>`), the first message as above. */
export const CONTACT_MESSAGES_CURSOR_EXAMPLE = { messages: CONTACT_MESSAGES_EXAMPLE.messages, meta: { next: 'eyJ0cyI6MTcwMTM3NTIxNjAwMCwiaWQiOjQyfQ' } };

/** R/template_messages_api/get_templates.md, example response. */
export const TEMPLATES_EXAMPLE = {
  templates: [{ uuid: 'ad42a09715814e6483b1c5debd6a2dbc', title: 'Template title', templateType: 'text', text: 'Message text', createdAt: '2020-11-13T21:08:53Z' }],
  meta: { page: 1, pages: 1 },
};

/** R/channels_api/get_channels.md, example response. */
export const CHANNELS_EXAMPLE = {
  channels: [{ uuid: '7c996996fea947f4a1d5a11e7fac84db', title: 'phone_number_1', type: 'whatsapp', main: true, discardedAt: false }],
  meta: { page: 1, pages: 1 },
};

/** R/template_messages_api/get_template.md, example response; request S/users_api/_get_template.mdx (filed under users_api). */
export const TEMPLATE_EXAMPLE = {
  template: { uuid: 'ad42a09715814e6483b1c5debd6a2dbc', title: 'Template title', templateType: 'text', category: 'MARKETING', status: 'approved', text: 'Message text', createdAt: '2020-11-13T21:08:53Z' },
};

/** S/templates_api/_patch_template.mdx: `{"title": New title"}` (its JSON lacks a quote; sent as it means). No page documents the answer: the template, as GET answers it. */
export const PATCH_TEMPLATE_REQUEST = { title: 'New title' };

/** R/channels_api/get_channel.md, example response; request S/channels_api/_get_channel.mdx. */
export const CHANNEL_EXAMPLE = { channel: { uuid: '7c996996fea947f4a1d5a11e7fac84db', title: 'phone_number_1', type: 'whatsapp', main: true } };

/** R/channels_api/patch_channel.md, example response; request S/channels_api/_patch_channel.mdx `{"title": "New title"}`. */
export const PATCH_CHANNEL_EXAMPLE = { channel: { uuid: '7c996996fea947f4a1d5a11e7fac84db', title: 'New title', type: 'whatsapp', main: true } };
export const PATCH_CHANNEL_REQUEST = { title: 'New title' };

/** The reference notes of /auth/me (S/auth_api/_get_me.mdx is the request; its answer: 200 {status, user_email, user_name, api_key}). */
export const AUTH_ME_EXAMPLE = { status: 'ok', user_email: null, user_name: 'John Doe', api_key: 'test_gshuPaZoeEG6ovbc8M79w0QyM' };

/** R/webhooks_api/subscribe.md, example response (its JSON has a stray comma); request S/webhooks_api/_post_webhooks_subscribe.mdx. */
export const SUBSCRIBE_EXAMPLE = { webhook: { url: 'https://my-app.com/my-webhook-endpoint', subscriptions: ['message_created'], createdAt: '2022-10-18 17:01:20 +0200', enabled: true } };

/** R/webhooks_api/unsubscribe.md. */
export const UNSUBSCRIBE_EXAMPLE = { status: 'webhook was destroyed' };

/** R/object_types/webhook_event.md (GET /webhooks/events answers {webhook_events, meta}). */
export const WEBHOOK_EVENTS_EXAMPLE = { webhook_events: [{ event: 'message_created', response: { body: 'ok', code: 200, headers: {} }, payload: {}, success: true, createdAt: '2022-10-18T15:01:20Z' }], meta: { page: 1, pages: 1 } };

/** R/contacts_api/delete_contact.md. */
export const DELETE_CONTACT_EXAMPLE = { status: 'contact was destroyed' };

const SUBSET = {
  href: 'https://dash.callbell.eu/contacts/eb2b914a977e4ab896e7b886698b3eac', conversationHref: 'https://dash.callbell.eu/chat/f3670b13446b412796238b1cd78899f9',
  name: 'John Doe', tags: ['Lead'], uuid: 'eb2b914a977e4ab896e7b886698b3eac', source: 'whatsapp', avatarUrl: null, createdAt: '2022-10-12T15:57:16Z', phoneNumber: '331122334455',
};

/** Callbell's documented webhook deliveries, by event (R/webhooks/**). */
export const WEBHOOK_PAYLOADS = {
  /** R/webhooks/contact_events/contact_created.md */
  contact_created: { event: 'contact_created', payload: SUBSET },
  /** R/webhooks/contact_events/contact_updated.md */
  contact_updated: { event: 'contact_updated', payload: SUBSET },
  /** R/webhooks/contact_events/contact_deleted.md */
  contact_deleted: { event: 'contact_deleted', payload: { uuid: 'fad77e68757b43c3b77b51cd66ec18f3', deleted: '2022-10-17T15:15:06.095Z' } },
  /** R/webhooks/message_events/message_created.md (fields of the table and the example; the optional message* extras left out) */
  message_created: { event: 'message_created', payload: { to: '331122334455', from: '335544332211', text: 'Hello', attachments: [], status: 'received', channel: 'whatsapp', contact: SUBSET, createdAt: '2022-10-18T12:06:29.000+02:00', metadata: {} } },
  /** R/webhooks/message_events/message_status_updated.md */
  message_status_updated: { event: 'message_status_updated', payload: { uuid: 'adf3d1216d4c4dcd908199d6700f2381', status: 'read', contact: SUBSET, metadata: {}, messageStatusPayload: { id: 'gBGGM2MSRxl_Aglqmg5KQXU7ABC', type: 'read' } } },
};
