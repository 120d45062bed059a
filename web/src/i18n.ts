// A tiny in-house dictionary: English, French, Spanish and Portuguese, chosen from the browser (or the user's pick,
// kept in localStorage) and switchable at run time; dates and numbers go through Intl in the same locale.
import { signal } from './state.ts';
import { en as coreEn } from './i18n-en.ts';
import { fr as coreFr } from './i18n-fr.ts';
import { es as coreEs } from './i18n-es.ts';
import { pt as corePt } from './i18n-pt.ts';
import * as segments from './pages/segments/i18n.ts';
import * as campaigns from './pages/campaigns/i18n.ts';
import * as automations from './pages/automations/i18n.ts';
import * as webhooks from './pages/webhooks/i18n.ts';
import * as settings from './pages/settings/i18n.ts';

// Each area of the app keeps its messages in its own folder (pages/<area>/i18n.ts); the dictionaries are their union.
const AREAS = [segments, campaigns, automations, webhooks, settings] as const;
const en = { ...coreEn, ...segments.en, ...campaigns.en, ...automations.en, ...webhooks.en, ...settings.en };
const merged = (core: Partial<Record<Key, string>>, pick: (area: (typeof AREAS)[number]) => Partial<Record<Key, string>>) =>
  Object.assign({}, core, ...AREAS.map(pick)) as Partial<Record<Key, string>>;

/** The languages the app speaks. */
export const LANGUAGES = { en: 'English', fr: 'Français', es: 'Español', pt: 'Português' } as const;
/** One of LANGUAGES' keys. */
export type Lang = keyof typeof LANGUAGES;
/** A message key (the English dictionary's keys). */
export type Key = keyof typeof en;

const DICTS: Record<Lang, Partial<Record<Key, string>>> = { en, fr: merged(coreFr, (a) => a.fr), es: merged(coreEs, (a) => a.es), pt: merged(corePt, (a) => a.pt) };

function initial(): Lang {
  const saved = localStorage.getItem('beckon.lang');
  if (saved && saved in LANGUAGES) return saved as Lang;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.slice(0, 2).toLowerCase();
    if (base in LANGUAGES) return base as Lang;
  }
  return 'en';
}

/** The current language (components re-render when it changes). */
export const lang = signal<Lang>(initial());

/** Switches the language (kept for the next visit). */
export function setLang(next: Lang): void {
  localStorage.setItem('beckon.lang', next);
  document.documentElement.lang = next;
  lang.set(next);
}
document.documentElement.lang = lang.get();

/** The translation of `key`, with {name} placeholders filled. */
export function t(key: Key, values: Record<string, string | number> = {}): string {
  const text = DICTS[lang.get()][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A number in the user's locale. */
export const num = (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(lang.get(), options).format(n);
/** A date-time in the user's locale and time zone. */
export const dateTime = (iso: string) => new Intl.DateTimeFormat(lang.get(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
/** A date in the user's locale. */
export const date = (iso: string) => new Intl.DateTimeFormat(lang.get(), { dateStyle: 'medium' }).format(new Date(iso));
