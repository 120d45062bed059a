import type { FieldError } from '../errors.ts';
import type { ParameterFormat } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { type ParameterFormat };

/** One `{{…}}` occurrence in a text. */
interface Placeholder {
  /** What is between the braces, trimmed: "1" or "first_name". */
  key: string;
  /** The placeholder as written, e.g. "{{ 1 }}". */
  raw: string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAMED = /^[a-z][a-z0-9_]*$/;
const POSITIONAL = /^[1-9][0-9]*$/;

/** The `{{…}}` placeholders of a text, in order (repeats included). */
export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ key: m[1].trim(), raw: m[0] }));
}

/** The distinct keys of a text's placeholders, in order of first appearance. */
export function keysOf(text: string | undefined): string[] {
  return [...new Set(placeholders(text ?? '').map((p) => p.key))];
}

/** What one part of a template (body, header text, a URL button) contributes to the check. */
export interface TextPart {
  text: string;
  path: string;
  /** At most this many distinct variables (header text and URL buttons: 1). */
  maxVariables?: number;
  /** The variable must close the text (a URL button's dynamic suffix). */
  suffixOnly?: boolean;
}

/**
 * Checks every placeholder of a template's parts: each is `{{n}}` or `{{name}}` (lowercase letters, digits,
 * underscores, starting with a letter), the template uses one kind only, positional numbers run 1, 2, 3… in each
 * part (as WhatsApp requires). Returns the template's format and the errors found (paths of the parts).
 */
export function checkPlaceholders(parts: TextPart[]): { format: ParameterFormat; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const kinds = new Set<ParameterFormat>();
  for (const part of parts) {
    const rest = part.text.replace(PLACEHOLDER, '');
    if (rest.includes('{{') || rest.includes('}}')) {
      errors.push({ path: part.path, message: 'has unbalanced braces: write a variable as {{1}} or {{first_name}}' });
      continue;
    }
    const found = placeholders(part.text);
    for (const p of found) {
      if (POSITIONAL.test(p.key)) kinds.add('positional');
      else if (NAMED.test(p.key)) kinds.add('named');
      else errors.push({ path: part.path, message: `${p.raw} is not a variable: use {{1}}, {{2}}… or a name of lowercase letters, digits and underscores such as {{first_name}}` });
    }
    const keys = [...new Set(found.map((p) => p.key))];
    if (part.maxVariables !== undefined && keys.length > part.maxVariables) errors.push({ path: part.path, message: `may have at most ${part.maxVariables} variable` });
    if (part.suffixOnly && found.length > 0 && !part.text.endsWith(found[found.length - 1].raw)) errors.push({ path: part.path, message: 'may only have its variable at the end' });
    const numbers = keys.filter((k) => POSITIONAL.test(k)).map(Number).sort((a, b) => a - b);
    const gap = numbers.findIndex((n, i) => n !== i + 1);
    if (gap >= 0) errors.push({ path: part.path, message: `numbers its variables ${numbers.map((n) => `{{${n}}}`).join(', ')}: number them {{1}}, {{2}}, {{3}}… without gaps` });
  }
  if (kinds.size > 1) errors.push({ path: parts[0].path, message: 'mixes positional ({{1}}) and named ({{first_name}}) variables: use one kind in the whole template' });
  return { format: kinds.has('named') ? 'named' : 'positional', errors };
}

/** Replaces each placeholder of `text` by its value (`valueOf` is given the key between the braces). */
export function fill(text: string, valueOf: (key: string) => string): string {
  return text.replace(PLACEHOLDER, (_raw, key: string) => valueOf(key.trim()));
}
