// A tiny in-house dictionary: English, French, Spanish and Portuguese, chosen from the browser (or the user's pick,
// kept in localStorage) and switchable at run time; dates and numbers go through Intl in the same locale.
import { signal } from './state.ts';
import { en } from './i18n-en.ts';
import { fr } from './i18n-fr.ts';
import { es } from './i18n-es.ts';
import { pt } from './i18n-pt.ts';

/** The languages the app speaks. */
export const LANGUAGES = { en: 'English', fr: 'Français', es: 'Español', pt: 'Português' } as const;
/** One of LANGUAGES' keys. */
export type Lang = keyof typeof LANGUAGES;
/** A message key (the English dictionary's keys). */
export type Key = keyof typeof en;

const DICTS: Record<Lang, Partial<Record<Key, string>>> = { en, fr, es, pt };

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
