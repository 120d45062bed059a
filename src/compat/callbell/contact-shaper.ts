// Callbell's Contact of Beckon contacts for one request: the custom field names once, the conversations' facts per page.
import { Type, type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { ContactView } from '../../contacts/service.ts';
import { definitionsByKey, type CustomFieldView } from '../../contacts/custom-fields/service.ts';
import { CallbellContactSchema, toCallbellContact } from './shared.ts';
import { conversationFacts } from './contact-facts.ts';

/** Callbell's Contact with the optional customFieldsMetadata (include_field_types). */
export const CallbellContactAnswer = Type.Intersect([CallbellContactSchema, Type.Object({ customFieldsMetadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })]);

/** Shapes a page of contacts (one read of the field names, three of the conversations' facts). */
export type Shaper = (views: ContactView[]) => Promise<Static<typeof CallbellContactAnswer>[]>;

/** A shaper for one request of `workspaceId` (customFieldsMetadata when `withTypes`). */
export async function contactShaper(deps: Deps, workspaceId: string, withTypes = false): Promise<Shaper> {
  const definitions = await definitionsByKey(deps.db, workspaceId);
  const labels = new Map([...definitions.values()].map((d) => [d.key, d.label]));
  return async (views) => {
    const facts = await conversationFacts(deps.db, workspaceId, views.map((v) => v.uuid));
    return views.map((view) => {
      const contact = toCallbellContact(view, { publicUrl: deps.config.publicUrl, labels, facts: facts.get(view.uuid) });
      return withTypes ? { ...contact, customFieldsMetadata: fieldTypes(view, definitions) } : contact;
    });
  };
}

/** One contact in Callbell's shape. */
export async function shapeContact(deps: Deps, workspaceId: string, view: ContactView, withTypes = false): Promise<Static<typeof CallbellContactAnswer>> {
  return (await (await contactShaper(deps, workspaceId, withTypes))([view]))[0];
}

function fieldTypes(view: ContactView, definitions: Map<string, CustomFieldView>) {
  return Object.fromEntries([...definitions.values()].map((d) => {
    const value = view.custom_fields[d.key] ?? null;
    return [d.label, { value: d.type === 'checkbox' ? (value === true ? [d.label] : []) : value, type: d.type, ...(d.options.length > 0 ? { options: d.options } : {}) }];
  }));
}
