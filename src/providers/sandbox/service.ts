import type { ChannelsTable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { normalizePhone } from '../../lib/phone.ts';
import type { InboundView, ProviderPort } from '../port.ts';

/** The `provider` value of sandbox channels. */
export const SANDBOX_PROVIDER = 'sandbox';

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

async function sandboxChannel(port: ProviderPort, workspaceId: string, channelId: string | undefined): Promise<ChannelsTable> {
  if (channelId) {
    const channel = await port.findChannel(workspaceId, channelId);
    if (!channel || channel.provider !== SANDBOX_PROVIDER) throw channelNotFound();
    return channel;
  }
  const sandboxes = await port.channelsOf(workspaceId, SANDBOX_PROVIDER);
  const channel = sandboxes.find((c) => c.is_default === 1) ?? sandboxes[0];
  if (!channel) throw new AppError(404, 'not_found', 'this workspace has no sandbox channel');
  return channel;
}

/**
 * Simulates a customer writing in on a sandbox channel (the given one, or the workspace's default sandbox channel):
 * the same path a provider's inbound webhook takes (contact upsert, inbound message, message_created, last_inbound_at).
 */
export async function simulateInbound(port: ProviderPort, workspaceId: string, input: SandboxInboundInput): Promise<InboundView> {
  const type = input.type ?? 'text';
  const content = port.validateContent(type, { text: input.text, url: input.url }, 'body');
  const from = normalizePhone(input.from, 'body.from');
  const channel = await sandboxChannel(port, workspaceId, input.channel_uuid);
  return port.receiveMessage(channel, { from, type, content });
}
