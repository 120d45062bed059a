// The campaigns area: its pages by path (`at` is the whole path, e.g. /campaigns/…).
import { t } from '../../i18n.ts';

/** The campaigns area's page for path `at`. */
export function CampaignsArea({ at }: { at: string }) {
  void at;
  return <h1>{t('campaigns.title')}</h1>;
}
