import type { FieldError } from '../../errors.ts';
import { findChannel } from '../../channels/queries.ts';
import { checkKeywords } from '../keywords.ts';
import { lastSentChannel } from '../queries.ts';
import { durationMs } from './duration.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';
import { checkTimeout, timeoutEdge } from './wait-for-event.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a run waiting for a reply has in `waiting_for`. */
export const WAITING_REPLY = 'reply';

/**
 * `wait_for_reply`: waits for an inbound message of the run's contact — on `channel_uuid`, or with `last_channel` on
 * the channel of the run's last sent message (any channel when it sent none), else on any channel; with `keywords`
 * (and `match`: exact, contains (default) or regex; case- and accent-insensitive) only a matching reply counts and
 * others keep it waiting — then follows `next` with `vars.reply` = {text, message_uuid, received_at}; when `timeout`
 * passes first, follows `timeout_next`.
 */
export const waitForReplyStep: StepKind = {
  waits: true,
  timeoutEdge: 'timeout',
  check(step, path) {
    const out: FieldError[] = [
      ...unknownKeys(step, ['timeout', 'channel_uuid', 'last_channel', 'keywords', 'match', 'next', 'timeout_next'], path),
      ...edgeShape(step, ['next', 'timeout_next'], path), ...checkTimeout(step.timeout, `${path}.timeout`),
    ];
    if (step.channel_uuid !== undefined && (typeof step.channel_uuid !== 'string' || !UUID.test(step.channel_uuid))) out.push({ path: `${path}.channel_uuid`, message: 'must be the uuid of a channel' });
    if (step.last_channel !== undefined && typeof step.last_channel !== 'boolean') out.push({ path: `${path}.last_channel`, message: 'must be true or false' });
    else if (step.last_channel === true && step.channel_uuid !== undefined) out.push({ path: `${path}.last_channel`, message: 'cannot be set with channel_uuid' });
    if (step.keywords !== undefined || step.match !== undefined) out.push(...checkKeywords(step.keywords, step.match, path));
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    if (typeof step.channel_uuid !== 'string') return [];
    return await findChannel(db, workspaceId, step.channel_uuid.toLowerCase()) ? [] : [{ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' }];
  },
  edges: (step, path) => [...edge(step, 'next', path), ...timeoutEdge(step, path)],
  async run(trx, _deps, run, step) {
    const channelId = typeof step.channel_uuid === 'string' ? step.channel_uuid.toLowerCase() : step.last_channel === true ? await lastSentChannel(trx, run.row.id) : null;
    return { wait: new Date(Date.parse(run.now) + durationMs(step.timeout)), waitingFor: WAITING_REPLY, channelId };
  },
};
