// The JSON editor of a definition (a new automation or an existing one): saving goes through the API, and every
// validation error it names is listed with its JSON path and marked on its line in the gutter beside the text.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, safely } from '../../api.ts';
import { num, t } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { signal } from '../../state.ts';
import { ErrorLine } from '../../ui.tsx';
import { JsonSyntaxError, lineOfPath, locateJson } from './json-locate.ts';
import type { Automation } from './shared.tsx';
import type { Problem } from '../../../../sdk/src/index.ts';

/** One error to show: its JSON path (none for a syntax error), its message and its line when found. */
interface EditorError { path: string | null; message: string; line: number | null }

/** A definition handed to the editor of a new automation (an example the API refused, with its errors). */
export const editorDraft = signal<{ text: string; problem: Problem } | null>(null);

const BLANK = { name: '', trigger: { type: 'api' }, entry: { policy: 'one_at_a_time' }, start: 'first', steps: { first: { type: 'exit' } } };

/** The definition of an automation as the editor shows it (the fields POST /v1/automations takes). */
function definitionOf(a: Automation): Record<string, unknown> {
  return { name: a.name, trigger: a.trigger, entry: a.entry, exit_on: a.exit_on, ...(a.goal ? { goal: a.goal } : {}), ...(a.bot ? { bot: true } : {}), start: a.start, steps: a.steps };
}

/** The problem's field errors located in `text` (a problem without field errors is one line without a path). */
export function errorsOf(problem: Problem, text: string): EditorError[] {
  const listed = (problem as { errors?: { path: string; message: string }[] }).errors ?? [];
  let lines = new Map<string, number>();
  try { lines = locateJson(text).lines; } catch { /* the text was valid when sent */ }
  if (listed.length === 0) return [{ path: null, message: problem.detail ?? problem.title ?? 'error', line: null }];
  return listed.map((e) => ({ path: e.path.replace(/^body\.?/, '') || 'body', message: e.message, line: lineOfPath(lines, e.path) }));
}

/** The editor of automation `uuid`, or of a new one when `uuid` is null. */
export function AutomationEditor({ uuid }: { uuid: string | null }) {
  const [text, setText] = useState<string | null>(null);
  const [original, setOriginal] = useState<Automation | null>(null);
  const [errors, setErrors] = useState<EditorError[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!uuid) {
      const draft = editorDraft.get();
      editorDraft.set(null);
      setText(draft ? draft.text : JSON.stringify(BLANK, null, 2));
      if (draft) setErrors(errorsOf(draft.problem, draft.text));
      return;
    }
    void (async () => {
      const { data, error } = await safely(() => api.GET('/v1/automations/{uuid}', { params: { path: { uuid } } }));
      if (error) { setLoadError(error.detail ?? error.title ?? 'error'); return; }
      setOriginal(data!.automation);
      setText(JSON.stringify(definitionOf(data!.automation), null, 2));
    })();
  }, [uuid]);

  if (text === null) return loadError ? <ErrorLine message={loadError} /> : <p role="status">{t('loading')}</p>;

  const save = async (e: Event) => {
    e.preventDefault();
    let body: Record<string, unknown>;
    try {
      const parsed = locateJson(text).value;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) { setErrors([{ path: null, message: t('automations.editor.notObject'), line: 1 }]); return; }
      body = parsed as Record<string, unknown>;
    } catch (err) {
      const syntax = err as JsonSyntaxError;
      setErrors([{ path: null, message: t('automations.editor.syntax', { what: syntax.message, line: syntax.line, column: syntax.column }), line: syntax.line }]);
      return;
    }
    setBusy(true);
    // a PATCH keeps what it does not name: a goal or bot flag removed from the text is removed explicitly
    const patch = { ...body, ...(original?.goal && !('goal' in body) ? { goal: null } : {}), ...(original?.bot && !('bot' in body) ? { bot: false } : {}) };
    const { data, error } = await safely(() => (uuid
      ? api.PATCH('/v1/automations/{uuid}', { params: { path: { uuid } }, body: patch as never })
      : api.POST('/v1/automations', { body: body as never })));
    setBusy(false);
    if (error) { setErrors(errorsOf(error, text)); return; }
    setErrors([]);
    navigate(`/automations/${data!.automation.uuid}`);
  };

  const goToLine = (line: number | null) => {
    const el = area.current;
    if (!el || line === null) return;
    const offset = text.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(offset, offset + (text.split('\n')[line - 1]?.length ?? 0));
    el.scrollTop = Math.max(0, (line - 3) * parseFloat(getComputedStyle(el).lineHeight || '20'));
  };
  const bad = new Map<number, string>();
  for (const e of errors) if (e.line !== null) bad.set(e.line, [bad.get(e.line), `${e.path ?? ''} ${e.message}`.trim()].filter(Boolean).join('; '));
  const count = text.split('\n').length;

  return (
    <section class="auto-editor">
      <p><a href={uuid ? `/automations/${uuid}` : '/automations'} onClick={onLink}>{t('automations.back')}</a></p>
      <h1>{uuid ? t('automations.editor.editTitle', { name: original?.name ?? '' }) : t('automations.editor.newTitle')}</h1>
      <p class="hint">{t('automations.editor.help')} {original && original.status !== 'draft' && t('automations.editor.newVersion')}</p>
      <form onSubmit={save}>
        {errors.length > 0 && (
          <div class="auto-errors" role="alert">
            <p><strong>{t('automations.editor.errors', { n: num(errors.length) })}</strong></p>
            <ul>
              {errors.map((e) => (
                <li data-path={e.path ?? ''}>
                  {e.path && <code>{e.path}</code>} {e.message}
                  {e.line !== null && <> <button type="button" class="link" onClick={() => goToLine(e.line)}>{t('automations.editor.line', { n: e.line })}</button></>}
                </li>
              ))}
            </ul>
          </div>
        )}
        <label for="definition" class="auto-editor-label">{t('automations.editor.label')}</label>
        <div class="code-editor">
          <div class="gutter" ref={gutter} aria-hidden="true">
            {Array.from({ length: count }, (_, i) => <span class={bad.has(i + 1) ? 'bad' : undefined} title={bad.get(i + 1)}>{i + 1}</span>)}
          </div>
          <textarea id="definition" ref={area} value={text} spellcheck={false} wrap="off" rows={Math.min(40, Math.max(12, count + 1))}
            aria-invalid={errors.length > 0 ? 'true' : undefined}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = (e.currentTarget as HTMLTextAreaElement).scrollTop; }} />
        </div>
        <p class="actions">
          <button type="submit" class="primary" disabled={busy}>{uuid ? t('automations.editor.save') : t('automations.editor.create')}</button>
          <a class="button" href={uuid ? `/automations/${uuid}` : '/automations'} onClick={onLink}>{t('automations.editor.cancel')}</a>
        </p>
      </form>
    </section>
  );
}
