// Small pieces shared by the webhooks and settings pages: a copy-to-clipboard button, a secret shown once (with its
// warning and a copy button), and a two-step button for actions that cannot be undone. Callers pass the words (t()).
import { useEffect, useRef, useState } from 'preact/hooks';
import './widgets.css';

/** Copies `text` to the clipboard; says `done` for a moment (announced), or selects nothing and says `failed`. */
export function CopyButton({ text, label, done, failed }: { text: string; label: string; done: string; failed: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('done');
    } catch {
      setState('failed');
    }
  };
  return (
    <span class="copy">
      <button type="button" onClick={copy}>{label}</button>
      <span role="status" class="copy-state">{state === 'done' ? done : state === 'failed' ? failed : ''}</span>
    </span>
  );
}

/** A value worth copying (a URL, a secret) in a read-only box, with its copy button. */
export function CopyValue({ id, label, value, words }: { id: string; label: string; value: string; words: { copy: string; copied: string; copyFailed: string } }) {
  return (
    <div class="copy-value">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <CopyButton text={value} label={words.copy} done={words.copied} failed={words.copyFailed} />
      </div>
    </div>
  );
}

/** A secret the API shows only this once: a warning, the value with a copy button, and a button to put it away. */
export function ShownOnce({ id, title, warning, value, words, onDone }: {
  id: string; title: string; warning: string; value: string;
  words: { copy: string; copied: string; copyFailed: string; done: string }; onDone: () => void;
}) {
  const box = useRef<HTMLElement>(null);
  useEffect(() => { box.current?.focus(); }, [value]);
  return (
    <section class="shown-once" aria-labelledby={`${id}-title`} tabIndex={-1} ref={box}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p class="warning">{warning}</p>
      <CopyValue id={id} label={title} value={value} words={words} />
      <button type="button" onClick={onDone}>{words.done}</button>
    </section>
  );
}

/** A button that asks once more before `action` (a delete, a revoke): the first click shows Confirm and Cancel. */
export function ConfirmButton({ label, question, confirm, cancel, action, busy }: {
  label: string; question: string; confirm: string; cancel: string; action: () => void | Promise<void>; busy?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) return <button type="button" class="danger" onClick={() => setAsking(true)} disabled={busy}>{label}</button>;
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class="danger" autoFocus onClick={async () => { setAsking(false); await action(); }}>{confirm}</button>
      <button type="button" onClick={() => setAsking(false)}>{cancel}</button>
    </span>
  );
}
