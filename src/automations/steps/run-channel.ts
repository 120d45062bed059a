import { findChannel } from '../../channels/queries.ts';
import type { Db } from '../../db/connect.ts';
import type { AutomationRunsTable, ChannelsTable } from '../../db/types.ts';
import { parseJson } from '../../lib/json.ts';

/**
 * The channel a run talks on: the step's `channel_uuid` when it sets one, else the channel of the message that
 * triggered the run (an inbound_message trigger); undefined when neither names a channel of the workspace.
 */
export async function runChannel(db: Db, row: Pick<AutomationRunsTable, 'workspace_id' | 'data'>, channelUuid?: unknown): Promise<ChannelsTable | undefined> {
  const id = typeof channelUuid === 'string' ? channelUuid : parseJson<{ message?: { channel_uuid?: string } }>(row.data, {}).message?.channel_uuid;
  return typeof id === 'string' ? findChannel(db, row.workspace_id, id.toLowerCase()) : undefined;
}
