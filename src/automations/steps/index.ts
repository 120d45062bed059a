import type { StepKind } from './types.ts';
import { askStep } from './ask.ts';
import { branchStep } from './branch.ts';
import { handoffStep } from './handoff.ts';
import { exitStep } from './exit.ts';
import { sendMessageStep } from './send-message.ts';
import { splitStep } from './split.ts';
import { updateContactStep } from './update-contact.ts';
import { waitStep } from './wait.ts';
import { waitForEventStep } from './wait-for-event.ts';
import { waitForReplyStep } from './wait-for-reply.ts';
import { waitUntilStep } from './wait-until.ts';
import { webhookStep } from './webhook.ts';

/** Every step type an automation may use, by its `type`: how it is checked, its edges and how it runs. */
export const STEPS: Record<string, StepKind> = {
  send_message: sendMessageStep,
  wait: waitStep,
  branch: branchStep,
  update_contact: updateContactStep,
  exit: exitStep,
  wait_until: waitUntilStep,
  wait_for_event: waitForEventStep,
  wait_for_reply: waitForReplyStep,
  split: splitStep,
  webhook: webhookStep,
  ask: askStep,
  handoff: handoffStep,
};

/** The step kind of a `type`, or undefined for an unknown one. */
export function stepKind(type: unknown): StepKind | undefined {
  return typeof type === 'string' && Object.hasOwn(STEPS, type) ? STEPS[type] : undefined;
}
