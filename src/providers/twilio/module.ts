import { RATE_SETTING, type ProviderModule } from '../module.ts';
import { createTwilioProvider, TWILIO_PROVIDER } from './adapter.ts';
import { twilioHookRoutes } from './hooks-routes.ts';

/** Twilio SMS (docs/channels-twilio.md): the REST adapter, the inbound and status webhooks (STOP / START keywords set consent). */
export const twilioModule: ProviderModule = {
  name: TWILIO_PROVIDER,
  types: ['sms'],
  settings: {
    fields: {
      account_sid: { kind: 'sid', prefix: 'AC', required: true, description: 'The Account SID (AC…)' },
      auth_token: { kind: 'text', secret: true, required: true, description: 'The Auth Token: authenticates API calls and verifies X-Twilio-Signature' },
      from_number: { kind: 'sender', description: 'The sending number in E.164, a short code or an alphanumeric sender ID; this or messaging_service_sid' },
      messaging_service_sid: { kind: 'sid', prefix: 'MG', description: 'A Messaging Service SID (MG…) that picks the sender; this or from_number' },
      api_base_url: { kind: 'url', description: 'Default https://api.twilio.com' },
      rate_per_second: RATE_SETTING,
    },
    check: (config) => (config.from_number === undefined && config.messaging_service_sid === undefined
      ? [{ path: 'body.config.from_number', message: 'is required unless messaging_service_sid is set' }] : []),
  },
  adapter: (deps) => createTwilioProvider(deps),
  routes: (app, deps, port) => twilioHookRoutes(app, deps, port),
  callbackUrls: (publicUrl, channel) => ({ inbound: `${publicUrl}/hooks/twilio/${channel.id}`, status: `${publicUrl}/hooks/twilio/${channel.id}/status` }),
};
