import { createTwilioProvider as createAdapter } from './adapter.ts';
import { startBeckon, type TestBeckon } from '../../../test/helpers.ts';
import { startFakeTwilio, type FakeTwilio } from '../../../test/fakes/twilio.ts';

/** The public URL the Twilio tests run Beckon behind (Twilio signs requests with it; tests inject at the path). */
export const PUBLIC_URL = 'https://beckon.example.com';
/** The test Twilio account. */
export const ACCOUNT_SID = 'AC' + '1'.repeat(32);
/** Its auth token. */
export const AUTH_TOKEN = 'test_auth_token_0123456789abcdef';
/** A second account, for another workspace's channel. */
export const OTHER_ACCOUNT_SID = 'AC' + '2'.repeat(32);
/** Its auth token. */
export const OTHER_AUTH_TOKEN = 'other_auth_token_0123456789abcde';
/** The channel's sending number. */
export const FROM_NUMBER = '+15017122661';

/** A Beckon behind PUBLIC_URL and a fake Twilio knowing both test accounts. */
export interface TwilioTestBed {
  beckon: TestBeckon;
  fake: FakeTwilio;
  /** The id of the default workspace. */
  workspaceId: string;
}

/** Starts the test bed; stop both with `bed.beckon.stop()` and `bed.fake.stop()` (registered on `t.after`). */
export async function startTwilioBed(t: { after(fn: () => Promise<void>): void }, options: { worker?: boolean } = {}): Promise<TwilioTestBed> {
  const fake = await startFakeTwilio({ [ACCOUNT_SID]: AUTH_TOKEN, [OTHER_ACCOUNT_SID]: OTHER_AUTH_TOKEN });
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: PUBLIC_URL }, options);
  t.after(async () => {
    await beckon.stop();
    await fake.stop();
  });
  return { beckon, fake, workspaceId: await workspaceIdOf(beckon, 'default') };
}

/** The id of the workspace with this name. */
export async function workspaceIdOf(beckon: TestBeckon, name: string): Promise<string> {
  return (await beckon.runtime.deps.db.selectFrom('workspaces').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** Creates a Twilio SMS channel pointing at the fake through POST /v1/channels (with `key`: in that key's workspace); returns its uuid. */
export async function createTwilioChannel(bed: TwilioTestBed, config: Record<string, unknown> = {}, options: { key?: string; main?: boolean } = {}): Promise<string> {
  const full = { account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN, from_number: FROM_NUMBER, api_base_url: bed.fake.url, ...config };
  const res = await bed.beckon.call('POST', '/v1/channels', {
    key: options.key, body: { type: 'sms', provider: 'twilio', title: 'Twilio SMS', main: options.main ?? true, config: full },
  });
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`POST /v1/channels: ${res.statusCode} ${res.body}`);
  return res.json().channel.uuid;
}

/** createTwilioProvider as the tests build it: the provider SSRF guard allows loopback, where the fake Twilio listens. */
export function createTwilioProvider(deps: Parameters<typeof createAdapter>[0], options?: Parameters<typeof createAdapter>[1]): ReturnType<typeof createAdapter> {
  return createAdapter({ config: { ...deps.config, providerAllowPrivate: ['127.0.0.0/8', '::1/128'] } }, options);
}
