// The webhooks area: its pages by path (`at` is the whole path, e.g. /webhooks/…).
import { t } from '../../i18n.ts';

/** The webhooks area's page for path `at`. */
export function WebhooksArea({ at }: { at: string }) {
  void at;
  return <h1>{t('webhooks.title')}</h1>;
}
