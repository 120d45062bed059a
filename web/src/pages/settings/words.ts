// The words of the copy buttons and secrets shown once on the channels, templates and keys tabs.
import { t } from '../../i18n.ts';

/** Copy, copied, copy failed, done: translated now. */
export const copyWords = () => ({ copy: t('channels.copy'), copied: t('channels.copied'), copyFailed: t('channels.copyFailed'), done: t('keys.secretDone') });
