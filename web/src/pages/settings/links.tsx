// A one-time link (an invitation or a password reset) shown to copy: Beckon sends no email, the admin hands it over.
import { useState } from 'preact/hooks';
import { dateTime, t } from '../../i18n.ts';

/** The link in a read-only field with a Copy button, under `sentence` (which says whose link it is and until when). */
export function OneTimeLink({ sentence, url }: { sentence: string; url: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // no clipboard (an insecure origin): the field is selected for the user to copy
      (document.getElementById('one-time-link') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <div class="card one-time-link" role="status">
      <p>{sentence}</p>
      <div class="copy-row">
        <label class="visually-hidden" for="one-time-link">{t('users.link')}</label>
        <input id="one-time-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>{copied ? t('users.copied') : t('users.copy')}</button>
      </div>
    </div>
  );
}

/** The sentence of a link for `name`: an invitation or a reset link, valid until `expires`. */
export const linkSentence = (kind: 'invite' | 'reset', name: string, expires: string) =>
  t(kind === 'invite' ? 'users.inviteLink' : 'users.resetLink', { name, at: dateTime(expires) });
