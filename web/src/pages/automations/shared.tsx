// What the automations pages share: status badges, translated step types and triggers, durations, who may write.
import { me } from '../../api.ts';
import { num, t, type Key } from '../../i18n.ts';
import type { Schema } from '../../../../sdk/src/index.ts';

/** An automation as the API answers it. */
export type Automation = Schema<'Automation'>;
/** A run as the API answers it. */
export type Run = Schema<'AutomationRun'>;
/** An automation's stats. */
export type Stats = Schema<'AutomationStats'>;

const STATUSES = ['draft', 'active', 'paused', 'archived', 'completed', 'exited', 'failed', 'converted'];
const STEP_TYPES = ['send_message', 'wait', 'wait_until', 'wait_for_event', 'wait_for_reply', 'branch', 'split', 'update_contact', 'webhook', 'exit', 'ask', 'handoff'];
const TRIGGERS = ['api', 'event', 'contact_created', 'tag_added', 'inbound_message', 'date'];

/** An automation's or a run's status as a translated badge. */
export function StatusPill({ status }: { status: string }) {
  return <span class={`badge auto-${status}`} data-status={status}>{STATUSES.includes(status) ? t(`automations.status.${status}` as Key) : status}</span>;
}

/** A step type's name in the user's language (the raw type when unknown). */
export const stepTypeLabel = (type: string | null | undefined) => (type && STEP_TYPES.includes(type) ? t(`automations.type.${type}` as Key) : type ?? '');

/** A trigger in words: its type, and what it listens to (event, tag, keywords, date field). */
export function triggerLabel(trigger: Automation['trigger']): string {
  const type = TRIGGERS.includes(trigger.type) ? t(`automations.trigger.${trigger.type}` as Key) : trigger.type;
  const detail = trigger.event ?? trigger.tag ?? (trigger.keywords ? trigger.keywords.join(', ') : undefined) ?? trigger.field;
  return detail ? `${type}: ${detail}` : type;
}

/** A duration object ({days, hours, minutes, seconds}) in the user's units, e.g. "1 day, 2 hr". */
export function durationLabel(value: unknown): string {
  if (!value || typeof value !== 'object') return '';
  const units: [string, string][] = [['days', 'day'], ['hours', 'hour'], ['minutes', 'minute'], ['seconds', 'second']];
  return units.flatMap(([key, unit]) => {
    const n = (value as Record<string, unknown>)[key];
    return typeof n === 'number' && n !== 0 ? [num(n, { style: 'unit', unit, unitDisplay: 'short' })] : [];
  }).join(' ');
}

/** True when the signed-in user may change automations (the API refuses agents every write). */
export const canWrite = () => me.get()?.role === 'admin';

