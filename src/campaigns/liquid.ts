import { createRequire } from 'node:module';
import type { Liquid, Template } from 'liquidjs';
import type { ContactsTable } from '../db/types.ts';
import { invalidField } from '../errors.ts';
import { parseJson } from '../lib/json.ts';

/** Longest campaign template source, in characters. */
export const MAX_TEMPLATE_LENGTH = 500_000;

/** Most milliseconds one render may take (loops over huge ranges stop with an error). */
const RENDER_LIMIT_MS = 200;
/** Most memory (in liquidjs units: characters of strings, items of arrays) one render may allocate. */
const MEMORY_LIMIT = 10_000_000;

const refusingFs = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => { throw new Error('file templates are not available'); },
  readFileSync: () => { throw new Error('file templates are not available'); },
  resolve: (_dir: string, file: string) => file,
  contains: async () => false,
  sep: '/',
};

// liquidjs is required when the first template is parsed: building its engine reads the time zone through Intl (ICU's
// zone data, ~8 MB of memory), which a process that renders no template never needs
const require = createRequire(import.meta.url);
let engine: Liquid | undefined;

/**
 * The campaign Liquid engine: unknown filters are errors (strictFilters), only a variable's own properties are
 * readable, nothing is read from the file system (include, render and layout are refused) and every render is
 * bounded in time and memory.
 */
function liquid(): Liquid {
  if (engine) return engine;
  const { Liquid } = require('liquidjs') as typeof import('liquidjs');
  engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    fs: refusingFs,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    cache: false,
    parseLimit: MAX_TEMPLATE_LENGTH,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
  });
  for (const tag of ['include', 'render', 'layout']) {
    engine.registerTag(tag, {
      parse() {
        throw new Error(`the "${tag}" tag is not available in campaign content`);
      },
      render() {
        return '';
      },
    });
  }
  return engine;
}

/** A parsed campaign template. */
export type ParsedTemplate = Template[];

/** What a campaign template sees: `contact.{uuid, name, first_name, phone, email, tags, custom_fields, source}`. */
export interface LiquidScope {
  contact: Record<string, unknown>;
}

/** The Liquid scope of one contact. */
export function scopeOf(contact: ContactsTable): LiquidScope {
  const name = contact.name ?? null;
  return {
    contact: {
      uuid: contact.id, name, first_name: name === null ? null : name.trim().split(/\s+/)[0] ?? null, phone: contact.phone, email: contact.email,
      tags: parseJson<string[]>(contact.tags, []), custom_fields: parseJson<Record<string, unknown>>(contact.custom_fields, {}), source: contact.source,
    },
  };
}

/** The contact templates are test-rendered against when a campaign is created or changed. */
export const SAMPLE_SCOPE: LiquidScope = {
  contact: {
    uuid: '00000000-0000-7000-8000-000000000000', name: 'Sample Contact', first_name: 'Sample', phone: '+15550100000', email: 'sample@example.com',
    tags: ['sample'], custom_fields: {}, source: 'api',
  },
};

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** Parses a template; a syntax error or an unknown filter is a 400 naming `path`. */
export function parseTemplate(source: string, path: string): ParsedTemplate {
  try {
    return liquid().parse(source);
  } catch (error) {
    throw invalidField(path, `is not a valid Liquid template: ${reason(error)}`);
  }
}

/** Renders a parsed template for one scope (synchronous, bounded); throws when the render exceeds its limits. */
export function renderTemplate(template: ParsedTemplate, scope: LiquidScope): string {
  return liquid().renderSync(template, scope) as string;
}

/** Parses a template and renders it against the sample contact, so errors surface at create time (400 naming `path`). */
export function checkTemplate(source: string, path: string): ParsedTemplate {
  const template = parseTemplate(source, path);
  try {
    renderTemplate(template, SAMPLE_SCOPE);
  } catch (error) {
    throw invalidField(path, `does not render: ${reason(error)}`);
  }
  return template;
}

/** True when a string holds Liquid markup (`{{` or `{%`), i.e. differs per contact. */
export function hasLiquid(source: string): boolean {
  return source.includes('{{') || source.includes('{%');
}
