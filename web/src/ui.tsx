// Small shared pieces: a labelled field with its error next to it, an error banner, a status badge, cursor pages.
import { cloneElement, isValidElement, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
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

/** A list's cursor pages: the current page's cursor, the next one (set it from each answer), the way back, a reset for new filters. */
export interface CursorPages {
  cursor: string | undefined;
  next: string | null;
  setNext(next: string | null): void;
  hasPrevious: boolean;
  previous(): void;
  forward(): void;
  reset(): void;
}

/** Keeps the cursors of the pages before the current one, so Previous goes back without the API paging backwards. */
export function useCursorPages(): CursorPages {
  const [before, setBefore] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [next, setNext] = useState<string | null>(null);
  return {
    cursor, next, setNext,
    hasPrevious: before.length > 0,
    previous: () => { setCursor(before[before.length - 1] || undefined); setBefore(before.slice(0, -1)); },
    forward: () => { if (next) { setBefore([...before, cursor ?? '']); setCursor(next); } },
    reset: () => { setBefore([]); setCursor(undefined); },
  };
}

/** Previous / Next buttons over cursor pages (hidden when `hideAlone` and there is only one page). */
export function Pager({ label, pages, hideAlone = false }: { label: string; pages: CursorPages; hideAlone?: boolean }) {
  if (hideAlone && !pages.hasPrevious && !pages.next) return null;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>{t('previous')}</button>
      <button type="button" disabled={!pages.next} onClick={pages.forward}>{t('next')}</button>
    </nav>
  );
}
