import type { ChannelsTable } from '../db/types.ts';
import { AppError } from '../errors.ts';
import { findChannel, listChannels } from '../channels/queries.ts';
import { normalizePhone } from '../lib/phone.ts';
import { receiveMessage } from '../messages/inbound.ts';
import { validateContent } from '../messages/service.ts';
import type { StatusDeps } from '../messages/status.ts';
import type { MessageView } from '../messages/view.ts';

/** A simulated customer message, as POST /v1/sandbox/inbound takes it. */
export interface SandboxInboundInput {
  channel_uuid?: string;
  from: string;
  type?: string;
  text?: string;
  url?: string;
}

function channelNotFound(): AppError {
  return new AppError(404, 'not_found', 'sandbox channel not found', [{ path: 'body.channel_uuid', message: 'no sandbox channel with this uuid in this workspace' }]);
}

async function sandboxChannel(deps: StatusDeps, workspaceId: string, channelId: string | undefined): Promise<ChannelsTable> {
  if (channelId) {
    const channel = await findChannel(deps.db, workspaceId, channelId);
    if (!channel || channel.provider !== 'sandbox') throw channelNotFound();
    return channel;
  }
  const sandboxes = (await listChannels(deps.db, workspaceId)).filter((c) => c.provider === 'sandbox');
  const channel = sandboxes.find((c) => c.is_default === 1) ?? sandboxes[0];
  if (!channel) throw new AppError(404, 'not_found', 'this workspace has no sandbox channel');
  return channel;
}

/**
 * Simulates a customer writing in on a sandbox channel (the given one, or the workspace's default sandbox channel):
 * the same path a provider's inbound webhook takes (contact upsert, inbound message, message_created, last_inbound_at).
 */
export async function simulateInbound(deps: StatusDeps, workspaceId: string, input: SandboxInboundInput): Promise<MessageView> {
  const type = input.type ?? 'text';
  const content = validateContent(type, { text: input.text, url: input.url }, 'body');
  const from = normalizePhone(input.from, 'body.from');
  const channel = await sandboxChannel(deps, workspaceId, input.channel_uuid);
  return receiveMessage(deps, channel, { from, type, content });
}
