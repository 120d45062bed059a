// Settings › Users.
import { t } from '../../i18n.ts';

/** The users settings tab. */
export function UsersSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
