import type { Db } from '../db/connect.ts';
import type { JobQueue } from '../jobs/queue.ts';

/**
 * The provider port: every adapter (sandbox, WhatsApp Cloud, Twilio, SMTP) implements ProviderAdapter.
 *
 * Delivery guarantee. The `send_message` task calls `send()` and then, in one transaction, records `sent` with
 * the provider's id. A crash between the two leaves the job to run again, which calls `send()` again with the SAME
 * idempotency key (the Beckon message id). So sending is at-least-once at the provider, and exactly-once at the
 * recipient when the provider deduplicates on that key: the sandbox does (it remembers every key and answers a
 * repeat with the first provider id), WhatsApp Cloud and Twilio have no idempotency key and may, in that narrow
 * window, send a duplicate; SMTP adapters pass it as the Message-ID so receivers can drop the repeat.
 */

/** The channel a message goes out on, as an adapter sees it. */
export interface ProviderChannel {
  id: string;
  workspaceId: string;
  type: string;
  provider: string;
  /** Provider settings (numbers, credentials); never shown through the API. */
  config: Record<string, unknown>;
}

/** One outbound message handed to an adapter. */
export interface OutboundMessage {
  /** The Beckon message uuid. */
  id: string;
  /** Stable across every retry of the same message: adapters pass it to providers that deduplicate. */
  idempotencyKey: string;
  /** The recipient: an E.164 phone (whatsapp, sms) or an email address. */
  to: string;
  type: 'text' | 'image' | 'document' | 'audio' | 'video' | 'interactive';
  content: { text?: string; url?: string; interactive?: InteractiveContent };
  metadata: Record<string, string> | null;
  /** When the message was accepted (ISO 8601); a simulated provider times its answers from it. */
  createdAt: string;
  /** Set when the message is a template send: what the provider needs to send it by name. */
  template?: OutboundTemplate;
  /** Email only: the subject line. */
  subject?: string;
  /** Email only: the HTML body (content.text is the plain-text body). */
  html?: string;
  /** Marketing sends: where List-Unsubscribe (and RFC 8058 one-click) points. */
  unsubscribeUrl?: string;
}

/** An interactive message's question (content.text is its body): reply buttons (up to 3) or a list (up to 10 rows, opened by `button`). */
export interface InteractiveContent {
  type: 'button' | 'list';
  /** The list's opening button label (lists only). */
  button?: string;
  options: { id: string; title: string; description?: string }[];
}

/** A template as an adapter sends it: its provider-side name and language, and its variables' values in order or by name. */
export interface OutboundTemplate {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  /** Positional values ({{1}}, {{2}}…) or named values, already validated against the template. */
  values: string[] | Record<string, string>;
  /** The body with the values filled in (what the recipient reads; stored as the message's content.text). */
  renderedText: string;
  /** WhatsApp: each part's parameters, ready for the Cloud API's `components` (set by the templates domain). */
  components?: TemplateComponents;
}

/** One template variable as a provider sends it: its value, with its name in a named template ({{first_name}}). */
export interface TemplateParameter {
  name?: string;
  value: string;
}

/** WhatsApp: the parts of a template that take parameters (or a media link) at send time. */
export interface TemplateComponents {
  /** A text header's parameter (at most one), or a media header's link. */
  header?: { format: 'text'; parameters: TemplateParameter[] } | { format: 'image' | 'video' | 'document'; link: string };
  /** The body's parameters: {{1}}, {{2}}… in order, or each name once in order of first appearance. */
  body: TemplateParameter[];
  /** URL buttons with a variable suffix: the button's 0-based index among all buttons, and its parameter. */
  buttons: { index: number; subType: 'url'; parameters: TemplateParameter[] }[];
}

/** What a provider answered when it accepted a message. */
export interface SendResult {
  /** The provider's id for the message; later status callbacks name it. */
  providerMessageId: string;
  /**
   * Statuses the provider already reports with its answer (the sandbox at zero delays: delivered, read), in order:
   * recorded in the transaction that records `sent`, each with its own event, with no callback or job for them.
   */
  statuses?: { status: 'delivered' | 'read' | 'failed'; error?: { code: string; reason: string } }[];
}

/**
 * A classified provider failure. `retryable` errors (timeouts, 5xx, rate limits) are retried with backoff and fail
 * the message once the attempts run out; permanent ones (invalid recipient, rejected content) fail it at once with
 * `{code, reason}`. Any other exception an adapter throws is treated as retryable.
 */
export class ProviderError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  /** For throughput errors: how long the provider asks us to wait before sending on this channel again. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, reason: string, retryable: boolean, retryAfterMs?: number) {
    super(reason);
    this.code = code;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** An adapter that sends messages through one provider. */
export interface ProviderAdapter {
  /** The `provider` value of the channels it serves (sandbox, whatsapp_cloud, twilio, smtp). */
  readonly name: string;
  /** True when the provider deduplicates on the idempotency key (see the guarantee above). */
  readonly deduplicates: boolean;
  /** Hands one message to the provider; throws ProviderError on refusal, or RetryLater to be called again later without counting an attempt. */
  send(channel: ProviderChannel, message: OutboundMessage): Promise<SendResult>;
  /**
   * Optional: runs in the same transaction that records `sent`. A simulated provider (the sandbox) schedules its
   * status callbacks here, so they exist exactly when the send is recorded.
   */
  afterSent?(trx: Db, queue: JobQueue, channel: ProviderChannel, message: OutboundMessage, result: SendResult): Promise<void>;
  /** Optional: releases what the adapter holds open (connection pools); called once at shutdown, after the worker has stopped. */
  close?(): Promise<void>;
}
