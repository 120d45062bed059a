// The campaigns pages' messages in the four languages (English is the reference: every key; the others translate each).

/** English. */
export const en = {
  'nav.campaigns': 'Campaigns',
  'campaigns.title': 'Campaigns',
};
/** French. */
export const fr: Record<keyof typeof en, string> = {
  'nav.campaigns': 'Campagnes',
  'campaigns.title': 'Campagnes',
};
/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'nav.campaigns': 'Campañas',
  'campaigns.title': 'Campañas',
};
/** Portuguese. */
export const pt: Record<keyof typeof en, string> = {
  'nav.campaigns': 'Campanhas',
  'campaigns.title': 'Campanhas',
};
