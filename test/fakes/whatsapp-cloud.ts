import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhookBody } from '../../src/providers/whatsapp-cloud/signature.ts';

/** One request the fake Graph API received, body parsed as JSON when it is. */
export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A scripted answer: an HTTP status and a JSON body (Meta's own error shapes are in GRAPH_ERRORS). */
export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A template as GET /{waba_id}/message_templates lists it. */
export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  rejected_reason?: string;
  components: Record<string, unknown>[];
}

function traceId(): string {
  return randomBytes(9).toString('base64url');
}

function graphError(status: number, code: number, message: string, details?: string, type = 'OAuthException', subcode?: number): GraphAnswer {
  const error: Record<string, unknown> = { message, type, code };
  if (subcode !== undefined) error.error_subcode = subcode;
  if (details !== undefined) error.error_data = { messaging_product: 'whatsapp', details };
  error.fbtrace_id = traceId();
  return { status, body: { error } };
}

/** Error answers as Meta's Cloud API documents them (error codes reference). */
export const GRAPH_ERRORS = {
  throughput: () => graphError(400, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'),
  reEngagement: () => graphError(400, 131047, '(#131047) Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.'),
  undeliverable: () => graphError(400, 131026, '(#131026) Message Undeliverable', 'Message Undeliverable.'),
  invalidParameter: (details: string) => graphError(400, 100, '(#100) Invalid parameter', details),
  tokenExpired: () => graphError(401, 190, 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.', undefined, 'OAuthException', 463),
  invalidToken: () => graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token'),
  somethingWrong: () => graphError(500, 131000, '(#131000) Something went wrong', 'Something went wrong.'),
  unknownObject: (id: string) => graphError(400, 100, `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, undefined, 'GraphMethodException', 33),
} as const;

const SEND_TYPES = new Set(['text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts', 'interactive', 'template', 'reaction']);

/**
 * A local fake of Meta's Graph API for WhatsApp Cloud: POST /{version}/{phone_number_id}/messages (Bearer token,
 * Meta's validation and error shapes, a wamid per accepted message), GET /{version}/{waba_id}/message_templates
 * (cursor pagination with absolute `paging.next` links). Answers can be scripted per recipient; every request is
 * recorded. Bound to 127.0.0.1 on a free port.
 */
export class FakeWhatsAppCloud {
  readonly requests: GraphRequest[] = [];
  /** The token every call must carry as `Authorization: Bearer …`. */
  accessToken = 'EAAtest-access-token';
  readonly phoneNumberIds = new Set<string>(['106540352242922']);
  businessAccountId = '102290129340398';
  templates: GraphTemplate[] = [];
  /** The most templates one page lists (Graph's cap), and the size when the request has no `limit`. */
  pageSize = 25;
  private readonly scripts = new Map<string, GraphAnswer[]>();
  private readonly server: Server;
  private sent = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening; resolves with the base URL to use as the channel's `api_base_url`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  /** The base URL (http://127.0.0.1:port). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues answers for sends to `to` (E.164 as sent); each send takes the next one, then sends succeed again. */
  script(to: string, ...answers: GraphAnswer[]): void {
    this.scripts.set(to, [...(this.scripts.get(to) ?? []), ...answers]);
  }

  /** The recorded send requests (POST …/messages), oldest first. */
  get sends(): GraphRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // kept as text
    }
    const request: GraphRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    this.requests.push(request);
    const answer = this.answer(request);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  private answer(request: GraphRequest): GraphAnswer {
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) return GRAPH_ERRORS.invalidToken();
    const parts = request.path.split('/').filter(Boolean);
    if (parts.length === 3 && /^v\d+\.\d+$/.test(parts[0]) && parts[2] === 'messages' && request.method === 'POST') return this.send(parts[1], request.body);
    if (parts.length === 3 && /^v\d+\.\d+$/.test(parts[0]) && parts[2] === 'message_templates' && request.method === 'GET') return this.listTemplates(parts[1], request);
    return graphError(400, 2500, `Unknown path components: /${parts.slice(1).join('/')}`);
  }

  private send(phoneNumberId: string, body: any): GraphAnswer {
    if (!this.phoneNumberIds.has(phoneNumberId)) return GRAPH_ERRORS.unknownObject(phoneNumberId);
    if (!body || typeof body !== 'object') return GRAPH_ERRORS.invalidParameter('The request body must be JSON.');
    if (body.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.');
    if (typeof body.to !== 'string' || body.to === '') return graphError(400, 100, '(#100) The parameter to is required.');
    const type = body.type ?? 'text';
    if (!SEND_TYPES.has(type)) return GRAPH_ERRORS.invalidParameter(`Param type must be one of {${[...SEND_TYPES].join(', ')}}`);
    if (!body[type] || typeof body[type] !== 'object') return graphError(400, 131008, '(#131008) Required parameter is missing', `Parameter '${type}' is required`);
    if (type === 'text' && typeof body.text.body !== 'string') return graphError(400, 131008, '(#131008) Required parameter is missing', "Parameter 'text.body' is required");
    if (type === 'audio' && body.audio.caption !== undefined) return GRAPH_ERRORS.invalidParameter('Param audio[\'caption\'] is not a valid parameter');
    const scripted = this.scripts.get(body.to)?.shift();
    if (scripted) return scripted;
    const wamid = `wamid.HBgL${Buffer.from(`${body.to}:${++this.sent}:${randomBytes(6).toString('hex')}`).toString('base64')}`;
    const message: Record<string, string> = { id: wamid };
    if (type === 'template') message.message_status = 'accepted';
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to.replace(/^\+/, '') }], messages: [message] } };
  }

  private listTemplates(wabaId: string, request: GraphRequest): GraphAnswer {
    if (wabaId !== this.businessAccountId) return GRAPH_ERRORS.unknownObject(wabaId);
    // Graph caps a page at its own maximum whatever `limit` asks
    const limit = Math.min(Number(request.query.limit ?? this.pageSize), this.pageSize);
    const start = request.query.after ? Number(Buffer.from(request.query.after, 'base64url').toString()) : 0;
    const data = this.templates.slice(start, start + limit);
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + data.length) } };
    if (start + data.length < this.templates.length) {
      const next = new URL(request.path, this.url);
      for (const [k, v] of Object.entries(request.query)) next.searchParams.set(k, v);
      next.searchParams.set('after', cursor(start + data.length));
      next.searchParams.set('limit', String(limit));
      paging.next = next.toString();
    }
    return { status: 200, body: { data, paging } };
  }
}

/** A `messages` webhook body as Meta sends it: one entry, one change, for the given phone number id. */
export function webhookEnvelope(value: Record<string, unknown>, phoneNumberId = '106540352242922', wabaId = '102290129340398'): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: wabaId,
      changes: [{ value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value }, field: 'messages' }],
    }],
  };
}

/** The `value` of an incoming-message webhook (Meta's example shape): the sender's profile and one message. */
export function inboundValue(from: string, message: Record<string, unknown>, name = 'Sheena Nelson'): Record<string, unknown> {
  return {
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: `wamid.${randomBytes(12).toString('base64url')}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  };
}

/** The `value` of a status webhook (Meta's example shape); `failed` carries `errors`. */
export function statusValue(wamid: string, status: string, recipient: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient };
  if (status !== 'failed') {
    base.pricing = { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' };
  }
  return { statuses: [{ ...base, ...extra }] };
}

/** A webhook POST as Meta makes it: the exact body bytes and their X-Hub-Signature-256 with the app secret. */
export function signedWebhook(body: unknown, appSecret: string): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify(body);
  return { payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(payload, appSecret) } };
}
