import type { FieldError } from '../../errors.ts';
import { updateContactIn } from '../../contacts/service.ts';
import { parseJson } from '../../lib/json.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

function tagList(value: unknown, path: string): FieldError[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) return [{ path, message: 'must be a list of at most 100 tags' }];
  return value.flatMap((t, i) => (typeof t === 'string' && t.trim().length > 0 && t.length <= 100 ? [] : [{ path: `${path}.${i}`, message: 'must be a tag (1 to 100 characters)' }]));
}

/** `update_contact`: adds `add_tags` and removes `remove_tags` from the run's contact (contact_updated when it changed), then follows `next`. */
export const updateContactStep: StepKind = {
  waits: false,
  check(step, path) {
    const out = [...unknownKeys(step, ['add_tags', 'remove_tags', 'next'], path), ...edgeShape(step, ['next'], path),
      ...tagList(step.add_tags, `${path}.add_tags`), ...tagList(step.remove_tags, `${path}.remove_tags`)];
    if (step.add_tags === undefined && step.remove_tags === undefined) out.push({ path: `${path}.add_tags`, message: 'add_tags or remove_tags is required' });
    return out;
  },
  edges: (step, path) => edge(step, 'next', path),
  async run(trx, deps, run, step) {
    const current = parseJson<string[]>(run.contact.tags, []);
    const add = ((step.add_tags as string[] | undefined) ?? []).map((t) => t.trim());
    const remove = new Set(((step.remove_tags as string[] | undefined) ?? []).map((t) => t.trim()));
    const tags = [...current.filter((t) => !remove.has(t)), ...add.filter((t) => !current.includes(t) && !remove.has(t))];
    const changed = tags.length !== current.length || tags.some((t, i) => t !== current[i]);
    if (changed) await updateContactIn(trx, deps, run.contact.workspace_id, run.contact, { tags: [...new Set(tags)] }, new Map());
    return { edge: 'next' };
  },
};
