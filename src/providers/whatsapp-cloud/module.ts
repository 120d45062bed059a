import { RATE_SETTING, type ProviderModule } from '../module.ts';
import { providerNet } from '../net.ts';
import { createWhatsAppCloudProvider } from './adapter.ts';
import { WHATSAPP_CLOUD } from './config.ts';
import { whatsappHookRoutes } from './hooks-routes.ts';
import { whatsappTemplateSource } from './template-sync.ts';

/** The WhatsApp Cloud API (docs/channels-whatsapp.md): the Graph API adapter, Meta's webhook, and template sync. */
export const whatsappCloudModule: ProviderModule = {
  name: WHATSAPP_CLOUD,
  types: ['whatsapp'],
  settings: {
    fields: {
      phone_number_id: { kind: 'digits', required: true, description: 'The Phone number ID from WhatsApp Manager (API Setup), not the phone number itself' },
      business_account_id: { kind: 'digits', description: 'The WhatsApp Business Account ID; needed by POST /v1/templates/sync' },
      access_token: { kind: 'text', secret: true, required: true, description: 'A system user access token with whatsapp_business_messaging (and _management for template sync)' },
      app_secret: { kind: 'text', secret: true, required: true, description: 'The Meta app\'s App secret: verifies X-Hub-Signature-256 on inbound webhooks' },
      verify_token: { kind: 'text', secret: true, required: true, description: 'A string you choose and paste as the webhook\'s Verify token in the Meta app' },
      api_base_url: { kind: 'url', description: 'Default https://graph.facebook.com' },
      api_version: { kind: 'version', description: 'Graph API version, e.g. v23.0 (default: the adapter\'s)' },
      rate_per_second: RATE_SETTING,
    },
  },
  adapter: (deps) => createWhatsAppCloudProvider(providerNet(deps.config)),
  routes: (app, deps, port) => whatsappHookRoutes(app, deps, port),
  callbackUrls: (publicUrl, channel) => ({ webhook: `${publicUrl}/hooks/whatsapp/${channel.id}` }),
  templates: whatsappTemplateSource,
  interactive: true,
};
