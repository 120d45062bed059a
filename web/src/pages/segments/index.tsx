// The segments area: its pages by path (`at` is the whole path, e.g. /segments/…).
import { t } from '../../i18n.ts';

/** The segments area's page for path `at`. */
export function SegmentsArea({ at }: { at: string }) {
  void at;
  return <h1>{t('segments.title')}</h1>;
}
