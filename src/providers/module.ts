import type { TSchema } from 'typebox';
import type { ChannelsTable } from '../db/types.ts';
import { CHANNEL_TYPES, type ChannelType } from '../db/enums.ts';
import type { Deps } from '../deps.ts';
import type { FieldError } from '../errors.ts';
import type { App } from '../http.ts';
import type { Task } from '../jobs/queue.ts';
import type { ProviderNet } from './net.ts';
import type { ProviderPort } from './port.ts';
import type { ProviderAdapter } from './types.ts';

/** Channel types Beckon sends on (declared with the table types, db/enums.ts). */
export { CHANNEL_TYPES, type ChannelType };

/** How a provider setting is checked and normalized (channels/config.ts checks each kind). */
export type SettingKind = 'text' | 'digits' | 'boolean' | 'port' | 'rate' | 'url' | 'email' | 'sender' | 'sid' | 'version' | 'host';

/** One setting of a provider's config. */
export interface SettingSpec {
  kind: SettingKind;
  /** Stored sealed (AES-256-GCM) and never shown: the API shows a hint only. */
  secret?: boolean;
  required?: boolean;
  /** For `sid`: the two letters a Twilio SID of this kind starts with. */
  prefix?: string;
  description: string;
}

/** What a provider's channels accept as config: its settings, and rules across them. */
export interface ProviderSettings {
  fields: Record<string, SettingSpec>;
  /** Rules across fields, on the complete config. */
  check?: (config: Record<string, unknown>) => FieldError[];
}

/** The send-rate setting every provider takes (messages/throttle.ts reads it). */
export const RATE_SETTING: SettingSpec = {
  kind: 'rate',
  description: 'Messages per second this channel sends at most (default 80 for WhatsApp, 10 for SMS and email, unlimited for a sandbox; docs/sending-rules.md)',
};

/** A template as a provider holds it, in Beckon's fields (templates/sync.ts creates or updates Beckon's copy). */
export interface ProviderTemplate {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  body: string;
  status: 'approved' | 'pending' | 'rejected' | 'paused';
  status_reason?: string | null;
  header?: { format: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT'; text?: string } | null;
  footer?: string | null;
  buttons?: { type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER'; text: string; url?: string; phone_number?: string }[];
  /** The provider's id of the template. */
  provider_template_id: string;
}

/** A template a provider holds, mapped to Beckon's fields, or the reason Beckon cannot take it. */
export type FetchedTemplate = { input: ProviderTemplate } | { name: string; language: string; unsupported: string };

/** A provider whose channels hold templates reviewed on the provider's side (WhatsApp Cloud): POST /v1/templates/sync reads them. */
export interface TemplateSource {
  /** Shown in errors: "only <label> channels have templates to sync". */
  label: string;
  /**
   * Reads every template of one channel. `config` opens the channel's config (secrets decrypted; it throws a
   * ProviderError when they cannot be); a channel that cannot be synced, or a provider refusal, is an AppError. Calls
   * go through `net` (the provider SSRF guard).
   */
  fetch(net: ProviderNet, channelId: string, config: () => Record<string, unknown>): Promise<FetchedTemplate[]>;
}

/**
 * One provider, everything Beckon knows of it in one place: its name (the `provider` of its channels), the channel
 * types it serves, its settings, its adapter, and optionally its inbound routes, the callback URLs its console needs,
 * its own job tasks and its template source. Inbound routes and tasks reach messages, contacts and channels only
 * through the ProviderPort they are handed.
 */
export interface ProviderModule {
  readonly name: string;
  readonly types: readonly ChannelType[];
  readonly settings: ProviderSettings;
  /** Builds the adapter that sends on this provider's channels. */
  adapter(deps: Deps): ProviderAdapter;
  /** Registers the provider's inbound routes (webhooks, the sandbox's simulated inbound). */
  routes?(app: App, deps: Deps, port: ProviderPort): void;
  /** The URLs the provider's console needs for one channel (BECKON_PUBLIC_URL + the channel's hook paths). */
  callbackUrls?(publicUrl: string, channel: Pick<ChannelsTable, 'id'>): Record<string, string>;
  /** The provider's own job tasks by name (the sandbox's simulated status callbacks). */
  tasks?(deps: Deps, port: ProviderPort): Record<string, Task>;
  /** Where POST /v1/templates/sync reads this provider's templates from. */
  templates?: TemplateSource;
  /** True when the adapter sends `interactive` messages (reply buttons, lists) natively; others get a numbered menu as text. */
  readonly interactive?: boolean;
}

/** The schemas of the messages domain that inbound routes answer with (handed through the port, so providers do not import messages). */
export interface InboundSchemas {
  /** `{ message }`: the reply of a send, and of the sandbox's simulated inbound. */
  messageReply: TSchema;
  /** The message types (text, image …). */
  messageTypes: readonly string[];
  /** The longest text or caption. */
  maxTextLength: number;
}
