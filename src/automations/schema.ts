import { Type } from 'typebox';
import { AUTOMATION_RUN_STATUSES, AUTOMATION_STATUSES, AUTOMATION_TRIGGER_TYPES } from '../db/enums.ts';
import { nameSchema } from '../system/components.ts';
import { ENTRY_POLICIES } from './definition.ts';
import { KEYWORD_MATCHES } from './keywords.ts';
import { OFFSET_UNITS } from './trigger-check.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Json = Type.Unknown();
const TriggerDoc = 'An object by type: {"type": "api"}; {"type": "event", "event": "custom.<name>", "filters": {"<data path>": <value>}} (every filter must equal the event data\'s value); '
  + '{"type": "contact_created"}; {"type": "tag_added", "tag"}; {"type": "inbound_message", "channel_uuid"?, "keywords"?: [..], "match"?: "exact" | "contains" | "regex"}; '
  + '{"type": "date", "field": "<contact date field>", "recurrence"?: "yearly" | "none"} or {"type": "date", "event": "custom.<name>", "path": "<data path>", "filters"?}, '
  + 'with "offset"?: {"value", "unit": "minutes" | "hours" | "days", "direction": "before" | "after"}, "at"?: "HH:MM", "time_zone"?: IANA, "time_zone_field"?. See docs/automations.md.';
const EntryDoc = `An object {"policy": ${ENTRY_POLICIES.map((p) => `"${p}"`).join(' | ')}}; default one_at_a_time.`;
const StepsDoc = 'An object of step id → step {"type", settings, edges}: send_message {channel_uuid, text, subject?, next?, skipped?}, wait {duration: {days?, hours?, minutes?, seconds?}, next?}, '
  + 'branch {conditions: [{field, op, value, next}], default}, update_contact {add_tags?, remove_tags?, next?}, exit {}, ask, handoff … See docs/automations.md.';

const GoalDoc = 'An object {"event": "custom.<name>", "within": {days?, hours?, minutes?}} or null (none): that event of the run\'s contact (on the run\'s correlation key when it has one) '
  + 'within the window after the run started is a conversion and ends the run (converted).';

/** The fields of an automation's definition in a request (checked by definition.ts, which names each problem's JSON path). */
const DefinitionFields = {
  trigger: Type.Unknown({ description: TriggerDoc }),
  entry: Type.Optional(Type.Unknown({ description: EntryDoc })),
  start: Type.Unknown({ description: 'The id of the first step' }),
  steps: Type.Unknown({ description: StepsDoc }),
  exit_on: Type.Optional(Type.Unknown({ description: 'Custom event types (custom.<name>) that end the contact\'s active runs, matched on the correlation key when the run has one' })),
  goal: Type.Optional(Type.Unknown({ description: GoalDoc })),
  bot: Type.Optional(Type.Unknown({ description: 'true for a chatbot: its runs put the contact\'s conversation on the run\'s channel pending with bot_status bot_start, and end (agent_replied) when an agent replies there' })),
};

/** POST /v1/automations. */
export const CreateAutomationBody = Type.Object({ name: Name, ...DefinitionFields }, { additionalProperties: false });

/** PATCH /v1/automations/:uuid: any field; the result is checked whole. */
export const UpdateAutomationBody = Type.Partial(CreateAutomationBody, { additionalProperties: false });

/** An automation as the API answers it. */
export const AutomationSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  status: Type.Enum([...AUTOMATION_STATUSES]),
  version: Type.Integer(),
  trigger: Type.Object({
    type: Type.Enum([...AUTOMATION_TRIGGER_TYPES]),
    event: Type.Optional(Type.String()),
    filters: Type.Optional(Type.Record(Type.String(), Json)),
    tag: Type.Optional(Type.String()),
    channel_uuid: Type.Optional(Type.String({ format: 'uuid' })),
    keywords: Type.Optional(Type.Array(Type.String())),
    match: Type.Optional(Type.Enum([...KEYWORD_MATCHES])),
    field: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    recurrence: Type.Optional(Type.Enum(['yearly', 'none'])),
    offset: Type.Optional(Type.Object({ value: Type.Integer(), unit: Type.Enum([...OFFSET_UNITS]), direction: Type.Enum(['before', 'after']) })),
    at: Type.Optional(Type.String()),
    time_zone: Type.Optional(Type.String()),
    time_zone_field: Type.Optional(Type.String()),
  }),
  entry: Type.Object({ policy: Type.Enum([...ENTRY_POLICIES]) }),
  start: Type.String(),
  steps: Type.Record(Type.String(), Json),
  exit_on: Type.Array(Type.String()),
  goal: Type.Optional(Type.Object({ event: Type.String(), within: Type.Record(Type.String(), Type.Integer()) })),
  bot: Type.Optional(Type.Boolean({ description: 'A chatbot (set only when true)' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});
nameSchema('Automation', AutomationSchema);

/** The query of GET /v1/automations. */
export const ListAutomationsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String()),
  status: Type.Optional(Type.Enum([...AUTOMATION_STATUSES])),
}, { additionalProperties: false });

/** POST /v1/automations/:uuid/runs. */
export const StartRunBody = Type.Object({
  contact: Type.Object({
    uuid: Type.Optional(Type.String({ maxLength: 100 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  }, { additionalProperties: false, description: 'Exactly one of uuid, phone or email; a phone or email without a contact creates it' }),
  data: Type.Optional(Type.Record(Type.String(), Json, { description: 'The trigger data: {{ trigger.<key> }} in Liquid, trigger.<path> in branch conditions' })),
  correlation_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000]*$' })),
}, { additionalProperties: false });

/** One step a run took. */
const RunStepSchema = Type.Object({
  step: Type.String(), type: Type.String(), outcome: Type.String({ description: 'The edge followed (next, skipped, default, condition_<i>), waiting, completed or failed' }),
  message_uuid: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]), at: Type.String(),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A run as the API answers it (steps on GET /v1/automation_runs/:uuid and cancel). */
export const RunSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  automation_uuid: Type.String({ format: 'uuid' }),
  version: Type.Integer(),
  contact_uuid: Type.String({ format: 'uuid' }),
  correlation_key: NullableString,
  status: Type.Enum([...AUTOMATION_RUN_STATUSES]),
  current_step: NullableString,
  waiting_until: NullableString,
  data: Type.Record(Type.String(), Json),
  variables: Type.Record(Type.String(), Json),
  exit_reason: NullableString,
  error: NullableString,
  created_at: Type.String(),
  updated_at: Type.String(),
  ended_at: NullableString,
  steps: Type.Optional(Type.Array(RunStepSchema)),
});
nameSchema('AutomationRun', RunSchema);

/** The query of GET /v1/automations/:uuid/runs. */
export const ListRunsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String()),
  status: Type.Optional(Type.Enum([...AUTOMATION_RUN_STATUSES])),
  contact_uuid: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });
