// The webhooks pages' messages in the four languages (English is the reference: every key; the others translate each).

/** English. */
export const en = {
  'nav.webhooks': 'Webhooks',
  'webhooks.title': 'Webhooks',
};
/** French. */
export const fr: Record<keyof typeof en, string> = {
  'nav.webhooks': 'Webhooks',
  'webhooks.title': 'Webhooks',
};
/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'nav.webhooks': 'Webhooks',
  'webhooks.title': 'Webhooks',
};
/** Portuguese. */
export const pt: Record<keyof typeof en, string> = {
  'nav.webhooks': 'Webhooks',
  'webhooks.title': 'Webhooks',
};
