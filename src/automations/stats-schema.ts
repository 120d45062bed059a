import { Type } from 'typebox';
import { nameSchema } from '../system/components.ts';

const Count = Type.Integer({ minimum: 0 });
const RunCounts = {
  started: Count,
  completed: Count,
  exited: Count,
  failed: Count,
  converted: Count,
};

/** The query of GET /v1/automations/:uuid/stats: the timeline's UTC days. */
export const StatsQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'First UTC day of the timeline (YYYY-MM-DD); default: the first day with a run, at most 366 days back' })),
  to: Type.Optional(Type.String({ description: 'Last UTC day of the timeline (YYYY-MM-DD); default: today' })),
}, { additionalProperties: false });

/** An automation's stats (every version), read from counters kept in the transaction of each step. */
export const AutomationStatsSchema = Type.Object({
  automation_uuid: Type.String({ format: 'uuid' }),
  runs: Type.Object({ ...RunCounts, active: Type.Integer(), conversion_rate: Type.Number({ description: 'converted / started (0 without runs), 4 decimals' }) }),
  steps: Type.Array(Type.Object({
    step: Type.String(),
    type: Type.Union([Type.String(), Type.Null()], { description: 'null for a step only older versions have' }),
    entered: Count,
    completed: Type.Record(Type.String(), Type.Integer(), { description: 'By edge followed (next, skipped, default, condition_<i> …) or outcome (completed: an exit step)' }),
    waiting_now: Type.Integer({ description: 'Runs waiting at this step now' }),
    skipped: Type.Record(Type.String(), Type.Integer(), { description: 'Runs that followed the skipped edge, by reason (contact_opted_out …)' }),
    failed: Count,
  })),
  timeline: Type.Array(Type.Object({ day: Type.String(), ...RunCounts }), { description: 'Every UTC day from `from` to `to`: runs started and ended that day' }),
});
nameSchema('AutomationStats', AutomationStatsSchema);
