import { Type } from 'typebox';
import { AppError, type FieldError } from '../../errors.ts';
import type { CustomFieldView } from '../../contacts/custom-fields/service.ts';
import { CallbellId } from './shared.ts';

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 });
const CustomFields = Type.Record(Type.String(), Type.Unknown(), { description: 'Values keyed by the field\'s display name (label) or its key; a checkbox takes a list' });
const AssignedUser = Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'The email of the user to assign the contact\'s latest conversation to (400 when no user of the workspace has it)' }));
const TeamUuid = Type.Optional(CallbellId);
const BotStatusField = Type.Optional(Type.Union([Type.Literal('bot_start'), Type.Literal('bot_end')], { description: 'Starts or ends the bot on the contact\'s latest conversation' }));
const Accepted = (what: string) => Type.Optional(Type.Unknown({ description: `${what}: accepted, not acted on (named in the Beckon-Ignored-Fields answer header)` }));

/** Callbell's POST /contacts body. */
export const CallbellCreateContactBody = Type.Object({
  identifier: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The phone number' })),
  email: Type.Optional(Type.String({ maxLength: 254, description: 'Beckon addition: a contact may have an email instead of a phone' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  tags: Type.Optional(Tags),
  custom_fields: Type.Optional(CustomFields),
  channel_uuid: Type.Optional(CallbellId),
  assigned_user: AssignedUser,
  team_uuid: TeamUuid,
  bot_status: BotStatusField,
  note: Accepted('note'),
}, { additionalProperties: false });

/** Callbell's PATCH /contacts/:uuid body (the phone cannot change). */
export const CallbellUpdateContactBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  tags: Type.Optional(Tags),
  custom_fields: Type.Optional(CustomFields),
  channel_uuid: Type.Optional(CallbellId),
  assigned_user: AssignedUser,
  unassign_user: Type.Optional(Type.Boolean({ description: 'true unassigns the contact\'s latest conversation' })),
  team_uuid: TeamUuid,
  bot_status: BotStatusField,
  note: Accepted('note'),
}, { additionalProperties: false });

/** The Callbell fields of a contact body Beckon accepts without acting on them. */
export const IGNORED_CONTACT_FIELDS = ['note'] as const;

/**
 * Callbell's custom_fields (keyed by display name, a checkbox as a list of checked options) as Beckon's (keyed by key,
 * a checkbox as a boolean: a non-empty list is true). A name no field has is a 400 naming `body.custom_fields.<name>`;
 * the values themselves are checked by the contacts service.
 */
export function beckonCustomFields(definitions: Map<string, CustomFieldView>, values: Record<string, unknown>): Record<string, unknown> {
  const byLabel = new Map([...definitions.values()].map((d) => [d.label, d]));
  const out: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(values)) {
    const definition = byLabel.get(name) ?? definitions.get(name);
    const path = `body.custom_fields.${name}`;
    if (!definition) {
      errors.push({ path, message: 'names no custom field (create it with POST /v1/custom_fields; Callbell keys values by the field\'s name)' });
      continue;
    }
    if (definition.type === 'checkbox' && Array.isArray(value)) {
      if (value.some((v) => typeof v !== 'string')) errors.push({ path, message: 'must be a list of strings (checkbox field)' });
      else out[definition.key] = value.length > 0;
      continue;
    }
    out[definition.key] = value;
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
  return out;
}

/** Runs `work`, renaming Beckon's `body.phone` in a 400 to Callbell's `body.identifier`. */
export async function asIdentifier<T>(work: () => Promise<T>): Promise<T> {
  return withFieldRenamed('body.phone', 'body.identifier', work);
}

/** Runs `work`, renaming the field `from` (Beckon's name) to `to` (Callbell's) in the error it throws. */
export async function withFieldRenamed<T>(from: string, to: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError) || !err.errors?.some((e) => e.path === from)) throw err;
    const errors = err.errors.map((e) => (e.path === from ? { ...e, path: to } : e));
    throw new AppError(err.status, err.code, err.message.startsWith(from) ? to + err.message.slice(from.length) : err.message, errors, err.extra);
  }
}
