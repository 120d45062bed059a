// The contacts page's file tools: CSV (or NDJSON) import with a progress bar that follows the import job to its end
// and lists its per-row errors (POST /v1/imports, GET /v1/imports/:uuid), and the CSV export of the contacts
// matching the current filter (GET /v1/contacts/export), downloaded by the browser.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../api.ts';
import { num, t } from '../i18n.ts';
import { ErrorLine, Field } from '../ui.tsx';
import type { Schema } from '../../../sdk/src/index.ts';

type Import = Schema<'Import'>;

/** How often a running import is asked for its progress. */
const POLL_MS = 500;
/** Files up to this size are read in the browser to count their rows (the progress bar's total); larger ones show progress without a total. */
const COUNT_LIMIT = 32 * 1024 * 1024;

/** The number of records in a CSV file's text (a header row, quoted fields may span lines) or an NDJSON file's (non-empty lines). */
export function countRecords(text: string, format: 'csv' | 'ndjson'): number {
  if (format === 'ndjson') return text.split('\n').filter((line) => line.trim() !== '').length;
  let rows = 0;
  let quoted = false;
  let blank = true;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === '\n' && !quoted) { if (!blank) rows++; blank = true; } else if (ch !== '\r') blank = false;
  }
  if (!blank) rows++;
  return Math.max(0, rows - 1);
}

/** The file format the API expects for a file, by its name. */
const formatOf = (file: File): 'csv' | 'ndjson' => (/\.(nd)?jsonl?$/i.test(file.name) ? 'ndjson' : 'csv');

/** Uploading a contacts file and following its import until done, with its counts and per-row errors. */
export function ImportPanel({ onDone }: { onDone: () => void }) {
  const [job, setJob] = useState<Import | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [uploading, setUploading] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  // follow the job until it completes or fails
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'failed') return;
    const timer = setTimeout(async () => {
      const { data, error: problem } = await safely(() => api.GET('/v1/imports/{uuid}', { params: { path: { uuid: job.uuid } } }));
      if (problem) return setError(fieldErrors(problem).message);
      setJob(data!.import);
      if (data!.import.status === 'completed' || data!.import.status === 'failed') onDone();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const chosen = file.current?.files?.[0];
    if (!chosen) return setFields({ file: t('import.noFile') });
    const format = formatOf(chosen);
    const map = String(form.get('map') ?? '').trim();
    const query = { allow_update: form.get('allow_update') === 'on', skip_duplicates: form.get('skip_duplicates') === 'on', ...(map ? { map } : {}) };
    setFields({});
    setError(null);
    setJob(null);
    setTotal(chosen.size <= COUNT_LIMIT ? countRecords(await chosen.text(), format) : null);
    setUploading(true);
    const { data, error: problem } = await safely(() => api.POST('/v1/imports', {
      params: { query },
      body: chosen as never, // the raw file is the body (the operation documents no JSON body)
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'Content-Type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
    }));
    setUploading(false);
    if (problem) {
      const parsed = fieldErrors(problem);
      setFields(parsed.fields);
      return setError(Object.keys(parsed.fields).length ? null : parsed.message);
    }
    setJob(data!.import);
  };

  const running = uploading || (job !== null && (job.status === 'queued' || job.status === 'running'));
  const processed = job?.processed ?? 0;
  const max = total ?? undefined;
  const done = job?.status === 'completed';
  return (
    <section class="card import" aria-label={t('import.title')}>
      <p class="hint">{t('import.hint')}</p>
      <form onSubmit={submit} class="import-form">
        <Field id="import-file" label={t('import.file')} error={fields.file}>
          <input id="import-file" type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" ref={file} />
        </Field>
        <Field id="import-map" label={t('import.map')} error={fields.map}>
          <input id="import-map" name="map" placeholder="Full name=name,Mobile=phone,Plan=custom_fields.plan" autocomplete="off" />
        </Field>
        <label class="check"><input type="checkbox" name="allow_update" defaultChecked />{t('import.allowUpdate')}</label>
        <label class="check"><input type="checkbox" name="skip_duplicates" />{t('import.skipDuplicates')}</label>
        <button type="submit" class="primary" disabled={running}>{t('import.submit')}</button>
      </form>
      <ErrorLine message={error} />
      {(uploading || job) && (
        <div class="import-progress" data-status={uploading ? 'uploading' : job!.status}>
          <progress id="import-bar" max={done ? 1 : max} value={done ? 1 : max === undefined ? undefined : Math.min(processed, max)} aria-label={t('import.progress')} />
          <p role="status">
            {uploading ? t('import.uploading')
              : job!.status === 'queued' ? t('import.queued')
              : job!.status === 'running' ? (total === null ? t('import.runningRows', { n: num(processed) }) : t('import.running', { n: num(processed), total: num(total) }))
              : job!.status === 'completed' ? t('import.done', { n: num(processed), inserted: num(job!.inserted), updated: num(job!.updated), unchanged: num(job!.unchanged), skipped: num(job!.skipped), failed: num(job!.failed) })
              : t('import.failed', { error: job!.error ?? '' })}
          </p>
        </div>
      )}
      {job && job.errors.length > 0 && (
        <div class="table-wrap">
          <table class="import-errors">
            <caption>{t('import.errors', { n: num(job.failed) })}</caption>
            <thead><tr><th scope="col">{t('import.line')}</th><th scope="col">{t('import.error')}</th></tr></thead>
            <tbody>
              {job.errors.map((row) => (
                <tr><td class="num">{num(row.line)}</td><td>{row.errors.length ? row.errors.map((e) => e.message).join('; ') : row.detail}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Downloads the contacts matching `query` (the list's filter) as a CSV file. */
export function ExportButton({ query, filtered }: { query: { q?: string; tags?: string[] }; filtered: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    const { data, error: problem } = await safely(() => api.GET('/v1/contacts/export', { params: { query }, parseAs: 'blob' }));
    setBusy(false);
    if (problem) return setError(fieldErrors(problem).message);
    const url = URL.createObjectURL(data as unknown as Blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `contacts-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div class="export">
      <button type="button" onClick={download} disabled={busy}>{busy ? t('export.busy') : t(filtered ? 'export.filtered' : 'export.all')}</button>
      <ErrorLine message={error} />
    </div>
  );
}
