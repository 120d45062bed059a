// Settings › Channels.
import { t } from '../../i18n.ts';

/** The channels settings tab. */
export function ChannelsSettings() {
  return <p class="empty">{t('settings.title')}</p>;
}
