// The per-contact preview's Liquid engine: liquidjs configured as the server's campaign engine (strict filters, own
// properties only, no file tags) and the scope a contact gives (src/campaigns/liquid.ts), so what it shows is what sends.
import { Liquid } from 'liquidjs';
import type { Schema } from '../../../../sdk/src/index.ts';

const engine = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true, cache: false, renderLimit: 200, memoryLimit: 10_000_000 });
for (const tag of ['include', 'render', 'layout']) {
  engine.registerTag(tag, { parse() { throw new Error(`the "${tag}" tag is not available in campaign content`); }, render() { return ''; } });
}

/** What a campaign template sees of one contact: `contact.{uuid, name, first_name, phone, email, tags, custom_fields, source}`. */
export function scopeOf(contact: Schema<'Contact'>): Record<string, unknown> {
  const name = contact.name ?? null;
  return {
    contact: {
      uuid: contact.uuid, name, first_name: name === null ? null : name.trim().split(/\s+/)[0] ?? null, phone: contact.phone, email: contact.email,
      tags: contact.tags, custom_fields: contact.custom_fields, source: contact.source,
    },
  };
}

/** A source rendered for a scope: the text, or the first line of the Liquid error. */
export function render(source: string, scope: Record<string, unknown>): { text: string } | { error: string } {
  try {
    return { text: engine.parseAndRenderSync(source, scope) as string };
  } catch (err) {
    return { error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
}

/** A template body with its variables ({{1}}, {{name}}) replaced by the rendered values, in `variables` order. */
export function fillTemplate(body: string, variables: string[], values: string[]): string {
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const at = variables.indexOf(name);
    return at >= 0 && values[at] !== undefined ? values[at] : whole;
  });
}
