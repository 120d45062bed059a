import type { AutomationRunStepsTable, AutomationRunsTable, AutomationsTable } from '../db/types.ts';
import { parseJson } from '../lib/json.ts';
import type { Definition } from './definition.ts';

/** An automation as the API answers it: its current version's definition, flattened. */
export interface AutomationView extends Definition {
  uuid: string;
  name: string;
  status: AutomationsTable['status'];
  version: number;
  created_at: string;
  updated_at: string;
}

/** The API view of an automation row. */
export function automationView(row: AutomationsTable): AutomationView {
  const definition = parseJson<Definition>(row.definition, {} as Definition);
  return { uuid: row.id, name: row.name, status: row.status, version: row.version, ...definition, created_at: row.created_at, updated_at: row.updated_at };
}

/** One step a run took, as the API answers it. */
export interface RunStepView {
  step: string;
  type: string;
  outcome: string;
  message_uuid: string | null;
  reason: string | null;
  at: string;
}

/** A run as the API and its events show it (steps only on GET /v1/automation_runs/:uuid). */
export interface RunView {
  uuid: string;
  automation_uuid: string;
  version: number;
  contact_uuid: string;
  correlation_key: string | null;
  status: AutomationRunsTable['status'];
  current_step: string | null;
  waiting_until: string | null;
  data: Record<string, unknown>;
  variables: Record<string, unknown>;
  exit_reason: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  steps?: RunStepView[];
}

/** The API view of a run row, with its steps when given. */
export function runView(row: AutomationRunsTable, steps?: AutomationRunStepsTable[]): RunView {
  return {
    uuid: row.id, automation_uuid: row.automation_id, version: row.version, contact_uuid: row.contact_id, correlation_key: row.correlation_key,
    status: row.status, current_step: row.current_step, waiting_until: row.resume_at, data: parseJson(row.data, {}), variables: parseJson(row.variables, {}),
    exit_reason: row.exit_reason, error: row.error, created_at: row.created_at, updated_at: row.updated_at, ended_at: row.ended_at,
    ...(steps && { steps: steps.map((s) => ({ step: s.step_id, type: s.type, outcome: s.outcome, message_uuid: s.message_id, reason: s.reason, at: s.created_at })) }),
  };
}
