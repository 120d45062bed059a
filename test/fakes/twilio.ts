import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { TestBeckon } from '../helpers.ts';

/**
 * A local Twilio REST server for tests, speaking the Messages API as Twilio documents it
 * (https://www.twilio.com/docs/messaging/api/message-resource): POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
 * form-encoded, HTTP Basic auth with the account SID and auth token; 201 with the Message resource; errors as
 * `{code, message, more_info, status}`. The `To` numbers of Twilio's test credentials fail as Twilio's do
 * (+15005550001 → 21211, +15005550002 → 21612, +15005550003 → 21408, +15005550004 → 21610, +15005550009 → 21614).
 * It also builds the signed requests Twilio makes to Beckon (status callbacks and inbound messages), signed with the
 * official `twilio` package's helper.
 */

/** One Create Message call the fake received. */
export interface RecordedCall {
  accountSid: string;
  authorization: string | undefined;
  contentType: string | undefined;
  params: Record<string, string>;
}

/** A scripted answer to the next Create Message call. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to exercise timeouts). */
  delayMs?: number;
}

/** A request Twilio would make to Beckon: the URL it posts to, its form parameters and X-Twilio-Signature. */
export interface SignedRequest {
  url: string;
  params: Record<string, string>;
  signature: string;
}

const TEST_NUMBER_ERRORS: Record<string, (to: string, from: string) => { code: number; message: string }> = {
  '+15005550001': (to) => ({ code: 21211, message: `The 'To' number ${to} is not a valid phone number.` }),
  '+15005550002': (to, from) => ({ code: 21612, message: `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.` }),
  '+15005550003': (to) => ({ code: 21408, message: `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.` }),
  '+15005550004': () => ({ code: 21610, message: 'Attempt to send to unsubscribed recipient' }),
  '+15005550009': () => ({ code: 21614, message: '\'To\' number is not a valid mobile number' }),
};

function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A running fake Twilio. */
export interface FakeTwilio {
  /** Base URL to put in a channel's `api_base_url`. */
  url: string;
  /** Every Create Message call, in order. */
  calls: RecordedCall[];
  /** Messages created, by SID, with the StatusCallback they named. */
  messages: Map<string, { accountSid: string; to: string; from: string; statusCallback: string | undefined }>;
  /** Answers the next Create Message call with this instead (in order, one per call). */
  script(...answers: ScriptedAnswer[]): void;
  /** The status callback Twilio would post for a created message (ErrorCode for undelivered / failed). */
  statusCallback(messageSid: string, status: string, errorCode?: string): SignedRequest;
  /** The inbound-message request Twilio would post to `url` for a customer texting the account's number. */
  inbound(url: string, accountSid: string, input: { from: string; to: string; body: string; media?: { url: string; contentType: string }[]; optOutType?: string; messagingServiceSid?: string }): SignedRequest;
  stop(): Promise<void>;
}

/** Starts a fake Twilio on 127.0.0.1 that knows these accounts (SID → auth token). */
export async function startFakeTwilio(accounts: Record<string, string>): Promise<FakeTwilio> {
  const calls: RecordedCall[] = [];
  const scripted: ScriptedAnswer[] = [];
  const messages: FakeTwilio['messages'] = new Map();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    const raw = await readBody(req);
    if (!match || req.method !== 'POST') return send(res, 404, twilioError(20404, 'The requested resource was not found', 404));
    const accountSid = decodeURIComponent(match[1]);
    const params = Object.fromEntries(new URLSearchParams(raw));
    calls.push({ accountSid, authorization: req.headers.authorization, contentType: req.headers['content-type'], params });
    const next = scripted.shift();
    if (next) {
      if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
      if (!res.destroyed) send(res, next.status, next.body ?? '', next.headers);
      return;
    }
    const [user, token] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (user !== accountSid || accounts[accountSid] === undefined || accounts[accountSid] !== token) {
      return send(res, 401, { ...twilioError(20003, 'Authentication Error - invalid username', 401), detail: 'Your AccountSid or AuthToken was incorrect.' });
    }
    const from = params.From ?? '';
    if (!params.To) return send(res, 400, twilioError(21604, 'A \'To\' phone number is required.', 400));
    if (!params.From && !params.MessagingServiceSid) return send(res, 400, twilioError(21603, 'A \'From\' phone number is required.', 400));
    if (!params.Body && !params.MediaUrl) return send(res, 400, twilioError(21602, 'Message body is required.', 400));
    if ((params.Body ?? '').length > 1600) return send(res, 400, twilioError(21617, 'The concatenated message body exceeds the 1600 character limit.', 400));
    const failure = TEST_NUMBER_ERRORS[params.To]?.(params.To, from);
    if (failure) return send(res, 400, twilioError(failure.code, failure.message, 400));
    const messageSid = sid(params.MediaUrl ? 'MM' : 'SM');
    const now = rfc2822(new Date());
    messages.set(messageSid, { accountSid, to: params.To, from: from || '+15017122661', statusCallback: params.StatusCallback });
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}.json`;
    send(res, 201, {
      account_sid: accountSid, api_version: '2010-04-01', body: params.Body ?? '', date_created: now, date_sent: null, date_updated: now,
      direction: 'outbound-api', error_code: null, error_message: null, from: params.MessagingServiceSid ? null : from,
      messaging_service_sid: params.MessagingServiceSid ?? null, num_media: params.MediaUrl ? '1' : '0', num_segments: '1', price: null,
      price_unit: 'USD', sid: messageSid, status: params.MessagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media.json` }, to: params.To, uri,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sign = (url: string, accountSid: string, params: Record<string, string>): SignedRequest =>
    ({ url, params, signature: getExpectedTwilioSignature(accounts[accountSid], url, params) });

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    messages,
    script: (...answers) => void scripted.push(...answers),
    statusCallback(messageSid, status, errorCode) {
      const message = messages.get(messageSid);
      if (!message?.statusCallback) throw new Error(`fake Twilio: no message ${messageSid} with a StatusCallback`);
      // the parameters of Twilio's status callback request, as its docs list them
      const params: Record<string, string> = {
        AccountSid: message.accountSid, ApiVersion: '2010-04-01', From: message.from, MessageSid: messageSid, MessageStatus: status,
        SmsSid: messageSid, SmsStatus: status, To: message.to,
      };
      if (errorCode) params.ErrorCode = errorCode;
      if (status === 'delivered' || status === 'undelivered') params.RawDlrDoneDate = '2302140911';
      return sign(message.statusCallback, message.accountSid, params);
    },
    inbound(url, accountSid, input) {
      const messageSid = sid(input.media?.length ? 'MM' : 'SM');
      // the parameters of Twilio's incoming message webhook, as its docs list them (US geographic fields included)
      const params: Record<string, string> = {
        ToCountry: 'US', ToState: 'CA', SmsMessageSid: messageSid, NumMedia: String(input.media?.length ?? 0), ToCity: 'SAN FRANCISCO',
        FromZip: '', SmsSid: messageSid, FromState: '', SmsStatus: 'received', FromCity: '', Body: input.body, FromCountry: 'US',
        To: input.to, ToZip: '94105', NumSegments: '1', ReferralNumMedia: '0', MessageSid: messageSid, AccountSid: accountSid,
        From: input.from, ApiVersion: '2010-04-01',
      };
      if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid;
      if (input.optOutType) params.OptOutType = input.optOutType;
      input.media?.forEach((media, i) => {
        params[`MediaContentType${i}`] = media.contentType;
        params[`MediaUrl${i}`] = media.url;
      });
      return sign(url, accountSid, params);
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Posts a signed Twilio request to Beckon at its path (Beckon sits behind BECKON_PUBLIC_URL, as behind a proxy). */
export async function postToBeckon(beckon: TestBeckon, request: SignedRequest, options: { signature?: string | null; params?: Record<string, string> } = {}) {
  const { pathname, search } = new URL(request.url);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' };
  const signature = options.signature === undefined ? request.signature : options.signature;
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return beckon.runtime.app.inject({ method: 'POST', url: pathname + search, headers, payload: new URLSearchParams(options.params ?? request.params).toString() });
}
