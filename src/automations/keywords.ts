import type { FieldError } from '../errors.ts';

/** How keywords match a message's text: the whole text, a word sequence inside it, or a regular expression. */
export const KEYWORD_MATCHES = ['exact', 'contains', 'regex'] as const;
/** One of KEYWORD_MATCHES. */
export type KeywordMatch = (typeof KEYWORD_MATCHES)[number];

/** Keywords as a trigger or a wait_for_reply step sets them. */
export interface Keywords {
  keywords: string[];
  match: KeywordMatch;
}

const MAX_KEYWORDS = 50;
const MAX_KEYWORD_LENGTH = 200;

/** Text folded for comparison: accents removed, lower case, whitespace collapsed and trimmed ("  Horaires d'ÉTÉ " → "horaires d'ete"). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Checks `keywords` (1 to 50 non-empty strings of at most 200 characters, valid regular expressions for `regex`) and `match` under `path`. */
export function checkKeywords(keywords: unknown, match: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (match !== undefined && !(KEYWORD_MATCHES as readonly unknown[]).includes(match)) out.push({ path: `${path}.match`, message: `must be one of ${KEYWORD_MATCHES.join(', ')}` });
  if (!Array.isArray(keywords) || keywords.length === 0 || keywords.length > MAX_KEYWORDS) {
    out.push({ path: `${path}.keywords`, message: `must be a list of 1 to ${MAX_KEYWORDS} keywords` });
    return out;
  }
  keywords.forEach((k, i) => {
    if (typeof k !== 'string' || foldText(k).length === 0 || k.length > MAX_KEYWORD_LENGTH) out.push({ path: `${path}.keywords.${i}`, message: `must be a text of 1 to ${MAX_KEYWORD_LENGTH} characters` });
    else if (match === 'regex') {
      try { new RegExp(foldText(k), 'u'); } catch (error) { out.push({ path: `${path}.keywords.${i}`, message: `is not a regular expression: ${(error as Error).message}` }); }
    }
  });
  return out;
}

/** Compiled matchers, by their keywords (definitions are immutable per version). */
const compiled = new Map<string, RegExp>();

/**
 * True when `text` matches one of the keywords, case- and accent-insensitively: `exact` the whole (trimmed) text,
 * `contains` the keyword as whole words anywhere in the text ("hours" matches "what are your hours?", not "hoursly"),
 * `regex` the folded text against each expression.
 */
export function matchesKeywords(text: string, { keywords, match }: Keywords): boolean {
  const folded = foldText(text);
  if (match === 'exact') return keywords.some((k) => foldText(k) === folded);
  const key = `${match}\u0000${keywords.join('\u0000')}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    const sources = keywords.map((k) => (match === 'regex' ? `(?:${foldText(k)})` : `(?<![\\p{L}\\p{N}])${escapeRegex(foldText(k))}(?![\\p{L}\\p{N}])`));
    pattern = new RegExp(sources.join('|'), 'u');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, pattern);
  }
  return pattern.test(folded);
}
