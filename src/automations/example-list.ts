// The example automations of docs/examples/automations, read-only: the web app's "start from an example" list.
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Type } from 'typebox';
import type { App } from '../http.ts';
import { nameSchema } from '../system/components.ts';

/** Where the example definitions live (one JSON file each). */
export const EXAMPLES_DIR = resolve(import.meta.dirname, '../../docs/examples/automations');

/** A placeholder string value of an example (`$WHATSAPP_CHANNEL_UUID`, `CHANNEL_UUID`, `$SALES_TEAM_UUID`). */
const PLACEHOLDER = /^\$?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_UUID$/;
const CHANNEL_TYPES: Record<string, string> = { WHATSAPP: 'whatsapp', SMS: 'sms', EMAIL: 'email' };

const Placeholder = Type.Object({
  token: Type.String({ description: 'The exact string value to replace, e.g. $WHATSAPP_CHANNEL_UUID' }),
  kind: Type.Enum(['channel', 'team', 'other']),
  channel_type: Type.Union([Type.String(), Type.Null()], { description: 'For a channel: the channel type it names (whatsapp, sms, email), null for any' }),
});

/** One example: its file name (id), its definition as written and the placeholders to fill before creating it. */
export const AutomationExampleSchema = Type.Object({
  id: Type.String({ description: 'The file name without .json, e.g. abandoned-cart' }),
  name: Type.String(),
  trigger_type: Type.String(),
  placeholders: Type.Array(Placeholder),
  definition: Type.Record(Type.String(), Type.Unknown(), { description: 'The body of POST /v1/automations once every placeholder is replaced by a uuid' }),
});
nameSchema('AutomationExample', AutomationExampleSchema);

/** One example as the API answers it. */
export type AutomationExample = {
  id: string; name: string; trigger_type: string;
  placeholders: { token: string; kind: 'channel' | 'team' | 'other'; channel_type: string | null }[];
  definition: Record<string, unknown>;
};

/** Every string value of `value` that is a placeholder, in the order they appear, once each. */
function placeholdersOf(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') { if (PLACEHOLDER.test(value)) found.add(value); } else if (Array.isArray(value)) {
    for (const item of value) placeholdersOf(item, found);
  } else if (value && typeof value === 'object') for (const item of Object.values(value)) placeholdersOf(item, found);
  return found;
}

/** What a placeholder names, read from its words: a channel (of a type when one is named), a team, or something else. */
function describe(token: string): AutomationExample['placeholders'][number] {
  const words = token.replace(/^\$/, '').split('_');
  if (words.includes('CHANNEL')) return { token, kind: 'channel', channel_type: CHANNEL_TYPES[words[0]] ?? null };
  return { token, kind: words.includes('TEAM') ? 'team' : 'other', channel_type: null };
}

/** The examples in file name order (none when the folder is missing); a file that is not a JSON object is left out. */
export async function listAutomationExamples(dir = EXAMPLES_DIR): Promise<AutomationExample[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const out: AutomationExample[] = [];
  for (const file of files) {
    let definition: unknown;
    try { definition = JSON.parse(await readFile(resolve(dir, file), 'utf8')); } catch { continue; }
    if (!definition || typeof definition !== 'object' || Array.isArray(definition)) continue;
    const body = definition as Record<string, unknown>;
    const trigger = body.trigger as { type?: unknown } | undefined;
    out.push({
      id: file.slice(0, -'.json'.length),
      name: typeof body.name === 'string' ? body.name : file,
      trigger_type: typeof trigger?.type === 'string' ? trigger.type : '',
      placeholders: [...placeholdersOf(body)].map(describe),
      definition: body,
    });
  }
  return out;
}

/** GET /v1/automations/examples: the example definitions, to create an automation from one. */
export function automationExampleRoutes(app: App): void {
  app.get('/v1/automations/examples', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listAutomationExamples', tags: ['automations'], response: { 200: Type.Object({ examples: Type.Array(AutomationExampleSchema) }) },
      summary: 'The example automations (docs/examples/automations), with the placeholders to fill before creating one',
      description: 'Replace each placeholder token (a whole string value) by a uuid of the workspace (a channel of `channel_type`, a team), then POST the definition to /v1/automations.',
    },
  }, async () => ({ examples: await listAutomationExamples() }));
}
