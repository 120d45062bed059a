import { handoffIn, missingAssignees } from '../../conversations/bot.ts';
import type { FieldError } from '../../errors.ts';
import { checkLiquid, render, renderFailure, runScope } from './liquid.ts';
import { runChannel } from './run-channel.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value.toLowerCase() : null;
}

/**
 * `handoff`: hands the contact's conversation on `channel_uuid` (default: the channel of the triggering message) over
 * to people through the conversations service (conversations/bot.ts): assigned to `team_uuid` (round-robin when the
 * team auto-assigns) and/or `user_uuid`, with an internal `note` (Liquid), bot_status `bot_end` and status `open`;
 * then follows `next`. Without a channel it records `channel_unavailable` and follows `next`.
 */
export const handoffStep: StepKind = {
  waits: false,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['channel_uuid', 'team_uuid', 'user_uuid', 'note', 'next'], path), ...edgeShape(step, ['next'], path)];
    for (const key of ['channel_uuid', 'team_uuid', 'user_uuid']) {
      if (step[key] !== undefined && (typeof step[key] !== 'string' || !UUID.test(step[key]))) out.push({ path: `${path}.${key}`, message: `must be the uuid of a ${key.slice(0, -5)}` });
    }
    if (step.team_uuid === undefined && step.user_uuid === undefined) out.push({ path: `${path}.team_uuid`, message: 'give team_uuid, user_uuid or both' });
    out.push(...checkLiquid(step.note, `${path}.note`, false, 10_000));
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    const out: FieldError[] = [];
    if (typeof step.channel_uuid === 'string' && !await runChannel(db, { workspace_id: workspaceId, data: '{}' }, step.channel_uuid)) out.push({ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' });
    for (const missing of await missingAssignees(db, workspaceId, uuidOrNull(step.team_uuid), uuidOrNull(step.user_uuid))) {
      out.push({ path: `${path}.${missing}_uuid`, message: `is not a ${missing} of this workspace` });
    }
    return out;
  },
  edges: (step, path) => edge(step, 'next', path),
  async run(trx, deps, run, step) {
    const channel = await runChannel(trx, run.row, step.channel_uuid);
    if (!channel) return { edge: 'next', reason: 'channel_unavailable' };
    const [teamId, userId] = [uuidOrNull(step.team_uuid), uuidOrNull(step.user_uuid)];
    if ((await missingAssignees(trx, run.contact.workspace_id, teamId, userId)).length > 0) return { edge: 'next', reason: 'assignee_unavailable' };
    let note: string | null = null;
    try {
      note = typeof step.note === 'string' ? render(step.note, runScope(run)).trim() || null : null;
    } catch (error) {
      return renderFailure(error);
    }
    const thread = { workspaceId: run.contact.workspace_id, contactId: run.contact.id, channelId: channel.id, channelType: channel.type, at: run.now };
    await handoffIn(trx, deps, thread, { teamId, userId, note });
    return { edge: 'next' };
  },
};
