import type { Deps } from '../deps.ts';
import { findChannel, findChannelById, listChannels } from '../channels/queries.ts';
import { channelConfig } from '../channels/secrets.ts';
import { setConsent } from '../contacts/consent.ts';
import type { ProviderPort } from '../providers/port.ts';
import { receiveMessage } from './inbound.ts';
import { MAX_TEXT_LENGTH, MESSAGE_TYPES, SendReply } from './schema.ts';
import { validateContent } from './service.ts';
import { applyStatus, applyStatusIn, statusCommitted } from './status.ts';
import { messageView } from './view.ts';

/** What the provider port needs: the store, the queue (events), metrics and the secret box (channel secrets). */
export type ProviderPortDeps = Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers' | 'metrics' | 'secrets'>;

/** Builds the port provider modules reach messages, contacts and channels through (see providers/port.ts). */
export function providerPort(deps: ProviderPortDeps): ProviderPort {
  return {
    async hookChannel(channelId, provider) {
      const row = await findChannelById(deps.db, channelId);
      return row && row.provider === provider ? row : undefined;
    },
    findChannel: (workspaceId, channelId) => findChannel(deps.db, workspaceId, channelId),
    async channelsOf(workspaceId, provider) {
      return (await listChannels(deps.db, workspaceId)).filter((c) => c.provider === provider);
    },
    channelConfig: (channel) => channelConfig(deps.secrets, channel),
    validateContent: (type, content, base) => validateContent(type, content, base),
    receiveMessage: (channel, input) => receiveMessage(deps, channel, input),
    view: messageView,
    applyStatus: (where, change, within) => applyStatus(deps, where, change, within),
    applyStatusIn: (trx, where, change) => applyStatusIn(trx, deps, where, change),
    statusCommitted: (status, result) => statusCommitted(deps, status, result),
    async setConsent(workspaceId, contactUuid, channel, status, source) {
      const changed = await deps.writer.run(async (trx) => (await setConsent(trx, deps, workspaceId, contactUuid, channel, status, source)).changed);
      if (changed) deps.queue.notify();
      return changed;
    },
    schemas: { messageReply: SendReply, messageTypes: MESSAGE_TYPES, maxTextLength: MAX_TEXT_LENGTH },
  };
}
