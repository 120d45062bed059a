import type { LightMyRequestResponse } from 'fastify';
import { startBeckon, waitFor, type TestBeckon } from '../../../test/helpers.ts';
import { FakeWhatsAppCloud, inboundValue, signedWebhook, webhookEnvelope } from '../../../test/fakes/whatsapp-cloud.ts';

/** A Beckon with a WhatsApp Cloud API channel whose api_base_url is a local fake Graph API. */
export interface WhatsAppHarness {
  beckon: TestBeckon;
  fake: FakeWhatsAppCloud;
  channelId: string;
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  /** POSTs a webhook body to the channel's hook, signed with the app secret (or `secret`). */
  hook(body: unknown, secret?: string): Promise<LightMyRequestResponse>;
  /** A customer writes in (opens the 24-hour window); returns the hook's answer. */
  customerWrites(from: string, text?: string): Promise<LightMyRequestResponse>;
  /** Sends a message through the API on the channel and waits until it leaves `enqueued`; returns the message. */
  sendAndSettle(body: Record<string, unknown>): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

/** Creates a WhatsApp Cloud channel through POST /v1/channels with this config (as `key`, default the admin key); returns its uuid. */
export async function createWhatsAppChannel(beckon: TestBeckon, config: Record<string, unknown>, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { key, body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WhatsApp Cloud', config } });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`POST /v1/channels answered ${res.statusCode}: ${res.body}`);
  return res.json().channel.uuid;
}

/** Starts Beckon (worker on) and a fake Graph API, with one WhatsApp Cloud channel pointing at the fake. */
export async function startWhatsApp(env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<WhatsAppHarness> {
  const fake = new FakeWhatsAppCloud();
  const apiBaseUrl = await fake.start();
  const beckon = await startBeckon(env, options);
  const appSecret = 'app-secret-0123456789abcdef';
  const verifyToken = 'verify-me-please';
  const phoneNumberId = [...fake.phoneNumberIds][0];
  const channelId = await createWhatsAppChannel(beckon, {
    phone_number_id: phoneNumberId, business_account_id: fake.businessAccountId, access_token: fake.accessToken,
    app_secret: appSecret, verify_token: verifyToken, api_base_url: apiBaseUrl, api_version: 'v23.0',
  });
  const hook = (body: unknown, secret = appSecret) => {
    const { payload, headers } = signedWebhook(body, secret);
    return beckon.call('POST', `/hooks/whatsapp/${channelId}`, { key: null, body: payload, headers });
  };
  return {
    beckon, fake, channelId, appSecret, verifyToken, phoneNumberId, hook,
    customerWrites: (from, text = 'Hello!') => hook(webhookEnvelope(inboundValue(from.replace(/^\+/, ''), { type: 'text', text: { body: text } }), phoneNumberId)),
    async sendAndSettle(body) {
      const res = await beckon.call('POST', '/v1/messages/send', { body: { from: 'whatsapp', channel_uuid: channelId, ...body } });
      if (res.statusCode !== 200) throw new Error(`send answered ${res.statusCode}: ${res.body}`);
      const uuid = res.json().message.uuid;
      return waitFor(`message ${uuid} to leave enqueued`, async () => {
        const message = (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
        return message.status !== 'enqueued' ? message : undefined;
      });
    },
    async stop() {
      await beckon.stop();
      await fake.stop();
    },
  };
}
