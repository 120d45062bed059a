// Settings › Teams.
import { t } from '../../i18n.ts';

/** The teams settings tab. */
export function TeamsSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
