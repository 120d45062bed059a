// Callbell's documented requests and example answers of the inbox endpoints, copied from the public docs repository
// callbellchat/callbell-public-docs (the file beside each). Ids are Callbell's; the tests swap in Beckon's.

const TEAM = { uuid: 'ad42a09715814e6483b1c5debd6a2dbc', name: 'New name', createdAt: '2020-11-13T21:08:53Z', default: true, members: 2 };

/** One documented request: method, path (with Callbell's ids), body, expected status and example answer. */
export interface DocumentedCall {
  source: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
  status: number;
  example: unknown;
}

/** The requests and answers, by name. */
export const DOCUMENTED = {
  // docs/api/reference/object_types/team.md (Team) with the list envelope of docs/api/reference/teams_api/introduction.md; snippet src/snippets/curl/teams_api/_get_teams.mdx
  listTeams: { source: 'src/snippets/curl/teams_api/_get_teams.mdx', method: 'GET', path: '/v1/teams', status: 200, example: { teams: [TEAM], meta: { page: 1, pages: 1 } } },
  // src/snippets/curl/teams_api/_get_team.mdx; answer: the Team of docs/api/reference/teams_api/patch_team.md
  getTeam: { source: 'src/snippets/curl/teams_api/_get_team.mdx', method: 'GET', path: '/v1/teams/ad42a09715814e6483b1c5debd6a2dbc', status: 200, example: { team: TEAM } },
  // docs/api/reference/teams_api/patch_team.md (the snippet's body is invalid JSON: {"name": New team name"}; its intent is sent)
  patchTeam: { source: 'docs/api/reference/teams_api/patch_team.md', method: 'PATCH', path: '/v1/teams/414a6d692bd645ed803f2e7ce360d4c8', body: { name: 'New name' }, status: 200, example: { team: TEAM } },
  // docs/api/reference/teams_api/get_team_members.md (the example has a trailing comma; fixed)
  teamMembers: {
    source: 'docs/api/reference/teams_api/get_team_members.md', method: 'GET', path: '/v1/teams/ad42a09715814e6483b1c5debd6a2dbc/members?status=available', status: 200,
    example: {
      users: [
        { email: 'john1@gmail.com', name: 'John One', available: true, lastUpdatedAt: '2024-07-17T18:54:49Z' },
        { email: 'john2@gmail.com', name: 'John Two', available: true, lastUpdatedAt: '2024-07-17T18:54:49Z', userCustomStatus: { updatedAt: '2025-02-04T20:21:31Z', id: '0d6041a2-8b88-49ec-a99b-a88a078a16c1', name: 'Vacationing', emoji: '🌴' } },
      ],
      meta: { page: 1, pages: 1 },
    },
  },
  // src/snippets/curl/users_api/_put_user_status.mdx; answer per docs/api/reference/users_api/put_user_status.md @4878e4f (/work/shared/reference/callbell-objects.md)
  putUserStatus: {
    source: 'src/snippets/curl/users_api/_put_user_status.mdx', method: 'PUT', path: '/v1/users/414a6d692bd645ed803f2e7ce360d4c8/status',
    body: { available: false, custom_status_uuid: '0d6041a2-8b88-49ec-a99b-a88a078a16c1' }, status: 200,
    example: { user_status: { custom_status: { id: '0d6041a2-8b88-49ec-a99b-a88a078a16c1', name: 'Vacationing', last_updated_at: '2024-11-22T21:29:43Z' }, appearance: { available: false, last_updated_at: '2024-11-22T21:29:43Z' } } },
  },
  // docs/api/reference/users_api/delete_user_status.md ("API response is empty"); snippet src/snippets/curl/users_api/_delete_user_status.mdx
  deleteUserStatus: { source: 'docs/api/reference/users_api/delete_user_status.md', method: 'DELETE', path: '/v1/users/414a6d692bd645ed803f2e7ce360d4c8/status', status: 204, example: null },
  // docs/api/reference/custom_status_api/get_custom_statuses.md
  listCustomStatuses: {
    source: 'docs/api/reference/custom_status_api/get_custom_statuses.md', method: 'GET', path: '/v1/custom_statuses', status: 200,
    example: {
      customStatuses: [
        { name: 'Vacationing', createdAt: '2024-11-22 21:29:43 +0100', updatedAt: '2024-11-22 21:29:43 +0100', emoji: '🚌', id: '0d6041a2-8b88-49ec-a99b-a88a078a16c1' },
        { name: 'In meeting', createdAt: '2024-11-25 19:49:31 +0100', updatedAt: '2024-11-25 19:49:31 +0100', emoji: '💬', id: '25003aa2-d2b0-4089-852a-3e216e0a7495' },
      ],
      meta: { page: 1, pages: 1 },
    },
  },
  // docs/api/reference/custom_status_api/post_custom_status.md; body from src/snippets/curl/custom_status_api/_post_custom_statuses.mdx
  postCustomStatus: {
    source: 'docs/api/reference/custom_status_api/post_custom_status.md', method: 'POST', path: '/v1/custom_statuses', body: { name: 'Lunch' }, status: 200,
    example: { customStatus: { name: 'Lunch', createdAt: '2024-12-04 14:12:14 +0100', updatedAt: '2024-12-04 14:12:14 +0100', emoji: '🍙', id: '8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db' } },
  },
  // docs/api/reference/custom_status_api/get_custom_status.md (its example lacks emoji, which the CustomStatus object has)
  getCustomStatus: {
    source: 'docs/api/reference/custom_status_api/get_custom_status.md', method: 'GET', path: '/v1/custom_statuses/0d6041a2-8b88-49ec-a99b-a88a078a16c1', status: 200,
    example: { customStatus: { name: 'Vacationing', createdAt: '2024-11-22 21:29:43 +0100', updatedAt: '2024-11-22 21:29:43 +0100', id: '0d6041a2-8b88-49ec-a99b-a88a078a16c1' } },
  },
  // docs/api/reference/custom_status_api/put_custom_status.md
  putCustomStatus: {
    source: 'docs/api/reference/custom_status_api/put_custom_status.md', method: 'PUT', path: '/v1/custom_statuses/8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db', body: { name: 'Back in a bit' }, status: 200,
    example: { customStatus: { name: 'Back in a bit', emoji: '⭐️', createdAt: '2024-12-04 14:12:14 +0100', updatedAt: '2024-12-04 14:31:58 +0100', id: '8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db' } },
  },
  // docs/api/reference/custom_status_api/delete_custom_status.md (path /custom_statuses/:id)
  deleteCustomStatus: { source: 'docs/api/reference/custom_status_api/delete_custom_status.md', method: 'DELETE', path: '/v1/custom_statuses/8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db', status: 200, example: { status: 'custom status was destroyed' } },
  // src/snippets/curl/custom_status_api/_delete_custom_status.mdx (path /custom_status/:id)
  deleteCustomStatusSnippet: { source: 'src/snippets/curl/custom_status_api/_delete_custom_status.mdx', method: 'DELETE', path: '/v1/custom_status/5f5b5ad9-80d3-42d9-b950-2c7bb7b1e307', status: 200, example: { status: 'custom status was destroyed' } },
  // docs/api/reference/funnels_api/get_funnels.md (the example misses its closing bracket; fixed)
  listFunnels: {
    source: 'docs/api/reference/funnels_api/get_funnels.md', method: 'GET', path: '/v1/funnels', status: 200,
    example: { funnels: [{ position: 1, name: 'Awareness', emoji: '🧘♂️', createdAt: '2025-12-18 20:00:19 +0100', uuid: 'ff0f96b9-b003-4d0c-b14f-27f3f6868dd6' }] },
  },
  // docs/api/reference/plan_api/get_plan.md
  getPlan: {
    source: 'docs/api/reference/plan_api/get_plan.md', method: 'GET', path: '/v1/plan', status: 200,
    example: { plan: 'business_plus', includedChannels: 3, licenses: 5, activeUsers: 2, teams: [{ uuid: 'ad42a09715814e6483b1c5debd6a2dbc', name: 'Support', createdAt: '2020-11-13T21:08:53Z', default: false, members: 2 }] },
  },
  // docs/api/reference/contacts_api/post_contact_conversation_close.md (the contact is a one-element array there; the Contact object page describes an object)
  closeConversation: {
    source: 'docs/api/reference/contacts_api/post_contact_conversation_close.md', method: 'POST', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/conversation/close', status: 200,
    example: { contact: { uuid: '414a6d692bd645ed803f2e7ce360d4c8', name: 'John Doe', phoneNumber: '123456789', avatarUrl: null, createdAt: '2020-11-13T21:08:53Z', source: 'whatsapp', closedAt: '2020-11-13T21:08:53Z', href: 'https://dash.callbell.eu/contacts/414a6d692bd645ed803f2e7ce360d4c8', tags: [], assignedUser: null, customFields: {} } },
  },
  // docs/api/reference/contacts_api/post_contact_conversation_open.md
  openConversation: {
    source: 'docs/api/reference/contacts_api/post_contact_conversation_open.md', method: 'POST', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/conversation/open', status: 200,
    example: { contact: { uuid: '414a6d692bd645ed803f2e7ce360d4c8', name: 'John Doe', phoneNumber: '123456789', avatarUrl: null, createdAt: '2020-11-13T21:08:53Z', source: 'whatsapp', closedAt: null, href: 'https://dash.callbell.eu/contacts/414a6d692bd645ed803f2e7ce360d4c8', tags: [], assignedUser: null, customFields: {} } },
  },
  // docs/api/reference/contacts_api/post_contact_conversation_create_note.md; body from src/snippets/curl/contacts_api/_post_contact_conversation_create_note.mdx (trailing comma fixed)
  noteConversation: {
    source: 'docs/api/reference/contacts_api/post_contact_conversation_create_note.md', method: 'POST', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/conversation/note',
    body: { text: 'Hey @john.doe, look here!' }, status: 200, example: { success: true },
  },
  // docs/api/reference/contacts_api/put_contacts_conversation_update_funnel.md (PUT on the page)
  updateFunnel: {
    source: 'docs/api/reference/contacts_api/put_contacts_conversation_update_funnel.md', method: 'PUT', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/conversation/update_funnel',
    body: { funnel_id: 'ff0f96b9-b003-4d0c-b14f-27f3f6868dd6' }, status: 200,
    example: { contact: { uuid: '414a6d692bd645ed803f2e7ce360d4c8', name: 'John Doe', phoneNumber: '123456789', avatarUrl: null, createdAt: '2020-11-13T21:08:53Z', source: 'whatsapp', closedAt: '2020-11-13T21:08:53Z', href: 'https://dash.callbell.eu/contacts/414a6d692bd645ed803f2e7ce360d4c8', funnelId: '1cd7845e-6b93-453d-b015-9dce35d16f39', tags: [], assignedUser: null, customFields: {}, team: {} } },
  },
  // src/snippets/curl/contacts_api/_put_contact_conversation_update_funnel.mdx (POST, at …/messages/update_funnel; trailing comma fixed)
  updateFunnelSnippet: {
    source: 'src/snippets/curl/contacts_api/_put_contact_conversation_update_funnel.mdx', method: 'POST', path: '/v1/contacts/efd7d996470e463b89f079be6cf578ed/messages/update_funnel',
    body: { funnel_id: 'ff0f96b9-b003-4d0c-b14f-27f3f6868dd6' }, status: 200, example: null,
  },
  // docs/api/reference/contacts_api/get_contact_bot.md
  getBot: {
    source: 'docs/api/reference/contacts_api/get_contact_bot.md', method: 'GET', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/bot', status: 200,
    example: { bot: { uuid: 'f7155fc557b74597b429bd3dbb5ca677', name: 'My Bot', status: 'in_progress', conversationStartedAt: '2024-03-11T17:57:09Z', version: 5, latestBotVersion: true } },
  },
  // docs/api/reference/contacts_api/post_contact_bot.md; body from src/snippets/curl/contacts_api/_post_contact_bot.mdx
  postBot: {
    source: 'docs/api/reference/contacts_api/post_contact_bot.md', method: 'POST', path: '/v1/contacts/414a6d692bd645ed803f2e7ce360d4c8/bot', body: { status: 'bot_start' }, status: 200,
    example: { bot: { uuid: 'f7155fc557b74597b429bd3dbb5ca677', name: 'My Bot', status: 'started', conversationStartedAt: null, version: 5, latestBotVersion: true } },
  },
} satisfies Record<string, DocumentedCall>;

/** Callbell's documented webhook deliveries of the inbox events ({event, payload}). */
export const DOCUMENTED_PAYLOADS = {
  // docs/api/reference/webhooks/conversation_events/conversation_opened.md
  conversation_opened: {
    event: 'conversation_opened',
    payload: { source: 'whatsapp', contact: { href: 'https://dash.callbell.eu/contacts/eb2b914a977e4ab896e7b886698b3eac', name: 'John Doe', tags: ['Lead'], uuid: 'eb2b914a977e4ab896e7b886698b3eac', source: 'whatsapp', avatarUrl: null, createdAt: '2022-10-12T15:57:16Z', phoneNumber: '331122334455' }, createdAt: '2023-11-20T17:14:22Z' },
  },
  // docs/api/reference/webhooks/conversation_events/conversation_closed.md
  conversation_closed: {
    event: 'conversation_closed',
    payload: {
      source: 'whatsapp', href: 'https://dash.callbell.eu/chat/f3670b13446b412796238b1cd78899f9',
      contact: { href: 'https://dash.callbell.eu/contacts/eb2b914a977e4ab896e7b886698b3eac', name: 'John Doe', tags: ['Lead'], uuid: 'eb2b914a977e4ab896e7b886698b3eac', source: 'whatsapp', avatarUrl: null, createdAt: '2022-10-12T15:57:16Z', phoneNumber: '331122334455' },
      closingReason: 'issue_resolved', createdAt: '2023-11-20T17:14:22Z', closedAt: '2023-11-20T17:14:22Z',
    },
  },
  // docs/api/reference/webhooks/agent_events/agent_status_updated.md
  agent_status_updated: {
    event: 'agent_status_updated',
    payload: { email: 'john.doe@gmail.com', name: 'John Doe', available: false, lastUpdatedAt: '2024-02-21T12:02:47Z', userCustomStatus: { updatedAt: '2025-02-04T20:21:31Z', id: '0d6041a2-8b88-49ec-a99b-a88a078a16c1', name: 'Vacationing', emoji: '🌴' } },
  },
  // docs/api/reference/webhooks/agent_events/agent_session_updated.md
  agent_session_updated: {
    event: 'agent_session_updated',
    payload: { action: 'user_logged_in', user: { email: 'john.doe@gmail.com', name: 'John Doe', available: false, lastUpdatedAt: '2024-02-21T12:02:47Z' } },
  },
  // docs/api/reference/webhooks/team_events/team_membership_updated.md
  team_membership_updated: {
    event: 'team_membership_updated',
    payload: {
      team: { name: 'Support Team', uuid: '35402552d90c4041b6bcb9a3249c0263', default: false, members: 3, createdAt: '2024-02-16T10:12:55Z' },
      user: { email: 'john.doe@gmail.com', available: true, lastUpdateAt: '2024-02-06T15:02:30Z' },
      reason: 'agent_added', lastUpdateAt: '2024-02-21T18:34:18Z',
    },
  },
} as const;
