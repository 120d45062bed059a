import type { Db } from '../db/connect.ts';
import type { ChannelsTable, MessagesTable } from '../db/types.ts';
import type { InboundSchemas } from './module.ts';

/** Why a message failed, as a provider reports it: a stable code and a sentence for people. */
export interface MessageFailure {
  code: string;
  reason: string;
}

/** A status a provider reports for an outbound message, in Beckon's terms (messages/status.ts applies it). */
export interface StatusReport {
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** When it happened (default now). */
  at?: string;
  providerMessageId?: string;
  error?: MessageFailure;
}

/** What applying a status did: applied (a real forward move), ignored (a repeat or a backward move), or unknown (no such message). */
export type StatusResult =
  | { outcome: 'applied'; message: MessagesTable }
  | { outcome: 'ignored'; message: MessagesTable }
  | { outcome: 'unknown' };

/** Which message a status is about: its Beckon id, or the id the provider gave it. */
export type MessageLocator = { id: string } | { providerMessageId: string };

/** Extra work run in the transaction of a real status move (a simulated provider scheduling its next callback). */
export type WithinStatus = (trx: Db, message: MessagesTable) => Promise<void>;

/** A message a customer sent in, as a provider reports it: `from` already E.164, the content valid for its type. */
export interface InboundReport {
  from: string;
  type: string;
  content: { text?: string; url?: string } & Record<string, unknown>;
  providerMessageId?: string;
  /** The name the customer's app shows (WhatsApp's profile name): names a contact that has none, never overwrites one. */
  profileName?: string;
}

/** A stored message as the API shows it (the messages domain's view; providers only read its contact). */
export interface InboundView {
  uuid: string;
  contact: { uuid: string };
}

/**
 * The port inbound traffic goes through (implemented by messages/provider-port.ts): provider modules receive it as
 * an argument and never import messages, contacts or the channels service, so calls run one way (messages → providers).
 */
export interface ProviderPort {
  /** The channel a provider webhook names in its URL, whatever its workspace; undefined unless it exists and uses `provider`. */
  hookChannel(channelId: string, provider: string): Promise<ChannelsTable | undefined>;
  /** One channel of a workspace, by id. */
  findChannel(workspaceId: string, channelId: string): Promise<ChannelsTable | undefined>;
  /** The channels of a workspace that use `provider`, oldest first. */
  channelsOf(workspaceId: string, provider: string): Promise<ChannelsTable[]>;
  /** A channel's config with its secrets decrypted (throws SecretBoxError when they cannot be). */
  channelConfig(channel: ChannelsTable): Record<string, unknown>;
  /** Checks a customer message's content for its type (400s under `base`); returns it normalized. */
  validateContent(type: string, content: { text?: string; url?: string }, base: string): { text?: string; url?: string };
  /** Records a customer message on a channel (contact upsert, inbound message, message_created, the 24-hour window) in one transaction. */
  receiveMessage(channel: ChannelsTable, input: InboundReport): Promise<InboundView>;
  /** The API view of a stored message. */
  view(message: MessagesTable): InboundView;
  /** Applies a status in its own transaction (forward moves only; repeats absorbed), running `within` in it on a real move. */
  applyStatus(where: MessageLocator, change: StatusReport, within?: WithinStatus): Promise<StatusResult>;
  /** applyStatus inside the caller's transaction; call statusCommitted with the result once it committed. */
  applyStatusIn(trx: Db, where: MessageLocator, change: StatusReport): Promise<StatusResult>;
  /** After the commit of a status applied with applyStatusIn: counts it and wakes the workers. */
  statusCommitted(status: StatusReport['status'], result: StatusResult): void;
  /** Sets a contact's consent on a channel (STOP / START keywords); true when it changed (and its event was recorded). */
  setConsent(workspaceId: string, contactUuid: string, channel: 'sms' | 'whatsapp' | 'email', status: 'opted_in' | 'opted_out', source: string): Promise<boolean>;
  /** The messages domain's schemas that inbound routes answer with. */
  schemas: InboundSchemas;
}
