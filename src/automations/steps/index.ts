import type { StepKind } from './types.ts';
import { branchStep } from './branch.ts';
import { exitStep } from './exit.ts';
import { sendMessageStep } from './send-message.ts';
import { updateContactStep } from './update-contact.ts';
import { waitStep } from './wait.ts';

/** Every step type an automation may use, by its `type`: how it is checked, its edges and how it runs. */
export const STEPS: Record<string, StepKind> = {
  send_message: sendMessageStep,
  wait: waitStep,
  branch: branchStep,
  update_contact: updateContactStep,
  exit: exitStep,
};

/** The step kind of a `type`, or undefined for an unknown one. */
export function stepKind(type: unknown): StepKind | undefined {
  return typeof type === 'string' && Object.hasOwn(STEPS, type) ? STEPS[type] : undefined;
}
