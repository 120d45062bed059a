// Small shared pieces: a labelled field with its error next to it, an error banner, a status badge.
import { cloneElement, isValidElement, type ComponentChildren } from 'preact';
import { t, type Key } from './i18n.ts';

/** A label, its control (whose id is `id`) and the field's error, tied by aria-describedby. */
export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ComponentChildren }) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {error && isValidElement(children) ? cloneElement(children, { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } as Record<string, unknown>) : children}
      {error && <p class="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

/** An API error as a readable line (never a stack), or nothing. */
export function ErrorLine({ message }: { message: string | null | undefined }) {
  return message ? <p role="alert" class="error">{message}</p> : null;
}

const KNOWN_STATUSES = ['enqueued', 'sent', 'delivered', 'read', 'failed', 'received', 'open', 'pending', 'snoozed', 'resolved'];

/** A message's or conversation's status as a coloured, translated badge. */
export function StatusBadge({ status }: { status: string }) {
  const label = KNOWN_STATUSES.includes(status) ? t(`status.${status}` as Key) : status;
  return <span class={`badge s-${status}`} data-status={status}>{label}</span>;
}
