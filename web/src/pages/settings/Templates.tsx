// Settings › Templates.
import { t } from '../../i18n.ts';

/** The templates settings tab. */
export function TemplatesSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
