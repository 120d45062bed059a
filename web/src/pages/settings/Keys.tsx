// Settings › Keys.
import { t } from '../../i18n.ts';

/** The keys settings tab. */
export function KeysSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
