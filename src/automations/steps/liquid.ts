import type { FieldError } from '../../errors.ts';
import { checkTemplate, parseTemplate, renderTemplate, scopeOf, type LiquidScope, type ParsedTemplate } from '../../campaigns/liquid.ts';
import { parseJson } from '../../lib/json.ts';
import { MAX_TEXT_LENGTH } from '../../messages/schema.ts';
import type { RunState } from './types.ts';

/** Parsed Liquid sources, by source (definitions are immutable per version, so a source always parses the same). */
const parsed = new Map<string, ParsedTemplate>();
function parsedOf(source: string): ParsedTemplate {
  let template = parsed.get(source);
  if (!template) {
    template = parseTemplate(source, 'text');
    if (parsed.size > 1000) parsed.clear();
    parsed.set(source, template);
  }
  return template;
}

/** Field errors of a Liquid setting: a text of 1 to `max` characters that parses and renders against the sample contact. */
export function checkLiquid(value: unknown, path: string, required: boolean, max = MAX_TEXT_LENGTH): FieldError[] {
  if (value === undefined && !required) return [];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) return [{ path, message: `must be a text of 1 to ${max} characters` }];
  try {
    checkTemplate(value, path);
    return [];
  } catch (error) {
    return [{ path, message: (error as { errors?: FieldError[] }).errors?.[0]?.message ?? String(error) }];
  }
}

/** The Liquid scope of a run: `contact`, `trigger` (the run's data) and `vars` (run variables). */
export function runScope(run: RunState): LiquidScope {
  return { ...scopeOf(run.contact), trigger: parseJson<unknown>(run.row.data, {}), vars: parseJson<unknown>(run.row.variables, {}) } as LiquidScope;
}

/** A render that exceeded its limits (the run fails with it). */
export class RenderError extends Error {}

/** Renders a Liquid source (checked when the definition was saved) for a run's scope; throws RenderError when the render exceeds its limits. */
export function render(source: string, scope: LiquidScope): string {
  try {
    return renderTemplate(parsedOf(source), scope);
  } catch (error) {
    throw new RenderError((error instanceof Error ? error.message : String(error)).split('\n')[0]);
  }
}

/** The run's end for a RenderError (rethrows anything else: the job retries). */
export function renderFailure(error: unknown): { end: 'failed'; reason: string } {
  if (!(error instanceof RenderError)) throw error;
  return { end: 'failed', reason: `render_failed: ${error.message}` };
}
