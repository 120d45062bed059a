import type { ConsentChannel } from '../../contacts/consent.ts';
import { setConsent } from '../../contacts/consent.ts';
import { checkValue, definitionsByKey, type CustomFieldView } from '../../contacts/custom-fields/service.ts';
import { updateContactIn } from '../../contacts/service.ts';
import { parseJson } from '../../lib/json.ts';
import { changeListMembership } from '../../segments/membership.ts';
import { checkContactRefs, checkContactSettings, checkTags } from './contact-settings.ts';
import { render, renderFailure, runScope } from './liquid.ts';
import { edge, edgeShape, unknownKeys, type RunState, type StepDefinition, type StepKind } from './types.ts';

const CHANGES = ['add_tags', 'remove_tags', 'name', 'set_fields', 'consent', 'add_to_lists', 'remove_from_lists'];

function nextTags(run: RunState, step: StepDefinition): string[] | undefined {
  if (step.add_tags === undefined && step.remove_tags === undefined) return undefined;
  const current = parseJson<string[]>(run.contact.tags, []);
  const add = ((step.add_tags as string[] | undefined) ?? []).map((t) => t.trim());
  const remove = new Set(((step.remove_tags as string[] | undefined) ?? []).map((t) => t.trim()));
  const tags = [...current.filter((t) => !remove.has(t)), ...add.filter((t) => !current.includes(t) && !remove.has(t))];
  return tags.length !== current.length || tags.some((t, i) => t !== current[i]) ? [...new Set(tags)] : undefined;
}

/** The custom field values to write, Liquid rendered and each checked against its field's type; `invalid` lists the keys left out. */
function fieldValues(step: StepDefinition, run: RunState, definitions: Map<string, CustomFieldView>): { values: Record<string, unknown>; invalid: string[] } {
  const scope = runScope(run);
  const values: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [key, raw] of Object.entries(step.set_fields as Record<string, unknown>)) {
    if (raw === null) { values[key] = null; continue; }
    const value = typeof raw === 'string' ? render(raw, scope) : raw;
    const checked = checkValue(definitions.get(key), value);
    if ('error' in checked) invalid.push(key);
    else values[key] = checked.value;
  }
  return { values, invalid };
}

/**
 * `update_contact`: changes the run's contact through the contacts and segments services, in the run's transaction,
 * then follows `next`: `add_tags` / `remove_tags`, `name` (Liquid; a blank render changes nothing), `set_fields`
 * ({key: value}: Liquid strings rendered, each value checked against its custom field's type; null removes it) in
 * one contact_updated; then `consent` ({whatsapp|sms|email: opted_in|opted_out}, source `automation`, with
 * contact_opted_in / contact_opted_out); then `add_to_lists` / `remove_from_lists` (static segments). A rendered
 * value its field refuses is left out and recorded as the reason (`invalid_fields: key, …`); a list deleted since is left out.
 */
export const updateContactStep: StepKind = {
  waits: false,
  check(step, path) {
    const out = [...unknownKeys(step, [...CHANGES, 'next'], path), ...edgeShape(step, ['next'], path),
      ...checkTags(step.add_tags, `${path}.add_tags`), ...checkTags(step.remove_tags, `${path}.remove_tags`), ...checkContactSettings(step, path)];
    if (CHANGES.every((k) => step[k] === undefined)) out.push({ path: `${path}.add_tags`, message: `one of ${CHANGES.join(', ')} is required` });
    return out;
  },
  checkRefs: checkContactRefs,
  edges: (step, path) => edge(step, 'next', path),
  async run(trx, deps, run, step) {
    const { contact, now } = run;
    const workspaceId = contact.workspace_id;
    const body: { tags?: string[]; name?: string; custom_fields?: Record<string, unknown> } = {};
    let invalid: string[] = [];
    let definitions = new Map<string, CustomFieldView>();
    try {
      const tags = nextTags(run, step);
      if (tags) body.tags = tags;
      if (typeof step.name === 'string') {
        const name = render(step.name, runScope(run)).trim();
        if (name !== '') body.name = name.slice(0, 200);
      }
      if (step.set_fields !== undefined) {
        definitions = await definitionsByKey(trx, workspaceId);
        const fields = fieldValues(step, run, definitions);
        invalid = fields.invalid;
        if (Object.keys(fields.values).length > 0) body.custom_fields = fields.values;
      }
    } catch (error) {
      return renderFailure(error);
    }
    if (Object.keys(body).length > 0) await updateContactIn(trx, deps, workspaceId, contact, body, definitions);
    for (const [channel, status] of Object.entries((step.consent ?? {}) as Record<string, 'opted_in' | 'opted_out'>)) {
      await setConsent(trx, deps, workspaceId, contact.id, channel as ConsentChannel, status, 'automation', now);
    }
    await changeListMembership(trx, workspaceId, contact.id, (step.add_to_lists ?? []) as string[], (step.remove_from_lists ?? []) as string[], now);
    return invalid.length > 0 ? { edge: 'next', reason: `invalid_fields: ${invalid.join(', ')}` } : { edge: 'next' };
  },
};
