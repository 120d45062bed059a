// The segments pages' messages in the four languages (English is the reference: every key; the others translate each).

/** English. */
export const en = {
  'nav.segments': 'Segments',
  'segments.title': 'Segments',
};
/** French. */
export const fr: Record<keyof typeof en, string> = {
  'nav.segments': 'Segments',
  'segments.title': 'Segments',
};
/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'nav.segments': 'Segmentos',
  'segments.title': 'Segmentos',
};
/** Portuguese. */
export const pt: Record<keyof typeof en, string> = {
  'nav.segments': 'Segmentos',
  'segments.title': 'Segmentos',
};
