import type { AutomationRunStatus, AutomationStatus, AutomationTriggerType } from './enums.ts';
import type { Json, Timestamp } from './types.ts';

// The automation tables, part of the one Database interface of types.ts.

/** An automation: its current definition (mirrored from its latest version) and status. */
export interface AutomationsTable {
  id: string;
  workspace_id: string;
  name: string;
  status: AutomationStatus;
  /** The current version's number (1 for a new automation). */
  version: number;
  /** The current version's definition: trigger, entry, start, steps, exit_on. */
  definition: Json;
  trigger_type: AutomationTriggerType;
  /**
   * The trigger's lookup key, indexed with trigger_type: the custom event type of an `event` trigger or of a `date`
   * trigger on event data, the tag of `tag_added`, the channel of `inbound_message` (null: every channel), else null.
   */
  trigger_event: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One saved version of an automation's definition: runs keep the version they started on. */
export interface AutomationVersionsTable {
  automation_id: string;
  version: number;
  definition: Json;
  created_at: Timestamp;
}

/** One contact going through one version of an automation. */
export interface AutomationRunsTable {
  id: string;
  workspace_id: string;
  automation_id: string;
  version: number;
  contact_id: string;
  correlation_key: string | null;
  status: AutomationRunStatus;
  /** The step the run is at (null once it ended). */
  current_step: string | null;
  /** Bumped at every move of the run; a step job carries the token it was enqueued with and does nothing if it changed. */
  token: number;
  /** While a wait step waits: when it ends. */
  resume_at: Timestamp | null;
  /** What a waiting run waits for: `custom.<name>` (wait_for_event), `reply` (wait_for_reply), `webhook` (its call pending); null otherwise. */
  waiting_for: string | null;
  /** The channel a reply must come on while waiting for one (null: any channel). */
  wait_channel_id: string | null;
  /** The trigger data (the API call's `data`, the event's data): Liquid's `trigger`. */
  data: Json;
  /** The run's variables: Liquid's `vars`. */
  variables: Json;
  /** automation|contact[|correlation key] while active (unique), null once ended. */
  active_key: string | null;
  exit_reason: string | null;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: Timestamp | null;
}

/** One step a run took: its outcome (the edge followed, `waiting`, `failed`), the message it sent, the reason it was skipped or failed. */
export interface AutomationRunStepsTable {
  id: string;
  run_id: string;
  step_id: string;
  type: string;
  outcome: string;
  message_id: string | null;
  reason: string | null;
  created_at: Timestamp;
}

/** One counter of an automation's stats for one UTC day and shard (step_id '' for the run counters); reads sum the shards. */
export interface AutomationStepCountersTable {
  automation_id: string;
  step_id: string;
  /** entered, completed:<edge>, skipped:<reason>, failed, waiting, wait_left (steps); started, completed, exited, failed, converted (runs). */
  counter: string;
  /** The UTC day (YYYY-MM-DD). */
  day: string;
  shard: number;
  value: number;
}

/** A start a trigger made once and never again (a date trigger's occurrence for a contact, an event's date, a day's scan). */
export interface AutomationTriggerFiresTable {
  automation_id: string;
  /** e.g. `contact:<id>:2026-12-06`, `event:<event id>`, `scan:2026-12-07`. */
  fire_key: string;
  created_at: Timestamp;
}
