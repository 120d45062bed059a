// The automations pages' messages in the four languages (English is the reference: every key; the others translate each).

/** English. */
export const en = {
  'nav.automations': 'Automations',
  'automations.title': 'Automations',
};
/** French. */
export const fr: Record<keyof typeof en, string> = {
  'nav.automations': 'Automatisations',
  'automations.title': 'Automatisations',
};
/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'nav.automations': 'Automatizaciones',
  'automations.title': 'Automatizaciones',
};
/** Portuguese. */
export const pt: Record<keyof typeof en, string> = {
  'nav.automations': 'Automações',
  'automations.title': 'Automações',
};
