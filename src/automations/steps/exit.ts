import { unknownKeys, type StepKind } from './types.ts';

/** `exit`: ends the run (completed). */
export const exitStep: StepKind = {
  waits: false,
  check: (step, path) => unknownKeys(step, [], path),
  edges: () => [],
  async run() {
    return { end: 'completed' };
  },
};
