// Settings › Fields.
import { t } from '../../i18n.ts';

/** The fields settings tab. */
export function FieldsSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
