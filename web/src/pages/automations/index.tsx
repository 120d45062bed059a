// The automations area: its pages by path (`at` is the whole path, e.g. /automations/…).
import { t } from '../../i18n.ts';

/** The automations area's page for path `at`. */
export function AutomationsArea({ at }: { at: string }) {
  void at;
  return <h1>{t('automations.title')}</h1>;
}
