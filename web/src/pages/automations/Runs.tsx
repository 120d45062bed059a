// An automation's runs: a paged list filtered by status (a row opens the run), and one run with every step it took.
import { useEffect, useState } from 'preact/hooks';
import { api, safely } from '../../api.ts';
import { dateTime, t, type Key } from '../../i18n.ts';
import { onLink } from '../../router.ts';
import { ErrorLine, Field, Pager, useCursorPages } from '../../ui.tsx';
import { canWrite, StatusPill, stepTypeLabel, type Run } from './shared.tsx';

const RUN_STATUSES = ['active', 'completed', 'exited', 'failed', 'converted'] as const;
type RunStatus = (typeof RUN_STATUSES)[number];

/** The runs of automation `uuid`, newest first, 20 a page; `tick` changes when something happened (reloads). */
export function RunsList({ uuid, selected, tick }: { uuid: string; selected: string | null; tick: number }) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const paging = useCursorPages();
  const { cursor, setNext } = paging;
  const [rows, setRows] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const query = { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) };
      const { data, error: problem } = await safely(() => api.GET('/v1/automations/{uuid}/runs', { params: { path: { uuid }, query } }));
      if (!live) return;
      setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
      if (data) { setRows(data.runs); setNext(data.meta.next_cursor ?? null); }
    })();
    return () => { live = false; };
  }, [uuid, status, cursor, tick]);

  const filter = (value: string) => { setStatus(value as RunStatus | ''); paging.reset(); };
  return (
    <section class="auto-runs" aria-labelledby="runs-title">
      <div class="page-head">
        <h2 id="runs-title">{t('automations.runs')}</h2>
        <Field id="runs-status" label={t('automations.runStatus')}>
          <select id="runs-status" value={status} onChange={(e) => filter((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('automations.allRuns')}</option>
            {RUN_STATUSES.map((s) => <option value={s}>{t(`automations.status.${s}` as Key)}</option>)}
          </select>
        </Field>
      </div>
      <ErrorLine message={error} />
      {rows === null ? <p role="status">{t('loading')}</p> : rows.length === 0 ? <p class="empty">{t('automations.noRuns')}</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="runs-title">
          <table>
            <thead><tr><th scope="col">{t('automations.started')}</th><th scope="col">{t('automations.status')}</th><th scope="col">{t('automations.currentStep')}</th><th scope="col">{t('automations.correlationKey')}</th><th scope="col">{t('automations.ended')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr data-run={r.uuid} aria-current={r.uuid === selected ? 'true' : undefined}>
                  <td><a href={`/automations/${uuid}/runs/${r.uuid}`} onClick={onLink}>{dateTime(r.created_at)}</a></td>
                  <td><StatusPill status={r.status} /></td>
                  <td>{r.current_step ?? ''}</td>
                  <td>{r.correlation_key ?? ''}</td>
                  <td>{r.ended_at ? dateTime(r.ended_at) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label={t('automations.runPages')} pages={paging} hideAlone />
    </section>
  );
}

/** One run: its state, its data and variables, and its step history; an admin may cancel it while active. */
export function RunView({ automation, uuid, tick, onRun }: { automation: string; uuid: string; tick: number; onRun: (run: Run | null) => void }) {
  const [run, setRun] = useState<Run | null>(null);
  const [who, setWho] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState(0);

  useEffect(() => {
    let live = true;
    void (async () => {
      const { data, error: problem } = await safely(() => api.GET('/v1/automation_runs/{uuid}', { params: { path: { uuid } } }));
      if (!live) return;
      setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
      if (data) { setRun(data.run); onRun(data.run); }
    })();
    return () => { live = false; };
  }, [uuid, tick, own]);
  const contact = run?.contact_uuid;
  useEffect(() => {
    if (!contact) return;
    void safely(() => api.GET('/v1/contacts/{uuid}', { params: { path: { uuid: contact } } })).then(({ data }) => {
      setWho(data ? data.contact.name ?? data.contact.phone ?? data.contact.email ?? null : null);
    });
  }, [contact]);

  const cancel = async () => {
    setBusy(true);
    const { error: problem } = await safely(() => api.POST('/v1/automation_runs/{uuid}/cancel', { params: { path: { uuid } } }));
    setBusy(false);
    setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
    setOwn(own + 1);
  };

  return (
    <section class="card auto-run" aria-labelledby="run-title">
      <div class="page-head">
        <h2 id="run-title">{t('automations.run', { id: uuid.slice(-8) })}</h2>
        <a href={`/automations/${automation}`} onClick={onLink}>{t('automations.closeRun')}</a>
      </div>
      <ErrorLine message={error} />
      {!run ? (!error && <p role="status">{t('loading')}</p>) : (
        <>
          <dl>
            <dt>{t('automations.status')}</dt><dd><StatusPill status={run.status} />{run.exit_reason ? ` ${run.exit_reason}` : ''}{run.error ? ` ${run.error}` : ''}</dd>
            <dt>{t('automations.contact')}</dt><dd><a href={`/contacts/${run.contact_uuid}`} onClick={onLink} data-field="contact">{who ?? run.contact_uuid}</a></dd>
            <dt>{t('automations.version')}</dt><dd>{run.version}</dd>
            {run.correlation_key && <><dt>{t('automations.correlationKey')}</dt><dd>{run.correlation_key}</dd></>}
            <dt>{t('automations.currentStep')}</dt><dd data-field="current_step">{run.current_step ?? '—'}</dd>
            {run.waiting_until && <><dt>{t('automations.waitingUntil')}</dt><dd>{dateTime(run.waiting_until)}</dd></>}
            <dt>{t('automations.data')}</dt><dd><pre class="json">{JSON.stringify(run.data, null, 2)}</pre></dd>
            {Object.keys(run.variables).length > 0 && <><dt>{t('automations.variables')}</dt><dd><pre class="json">{JSON.stringify(run.variables, null, 2)}</pre></dd></>}
          </dl>
          {run.status === 'active' && canWrite() && <p><button type="button" disabled={busy} onClick={cancel}>{t('automations.cancelRun')}</button></p>}
          <h3 id="history-title">{t('automations.history')}</h3>
          {(run.steps ?? []).length === 0 ? <p class="empty">{t('automations.noSteps')}</p> : (
            <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="history-title">
              <table class="run-steps">
                <thead><tr><th scope="col">{t('automations.at')}</th><th scope="col">{t('automations.step')}</th><th scope="col">{t('automations.outcome')}</th><th scope="col">{t('automations.reason')}</th></tr></thead>
                <tbody>
                  {run.steps!.map((s) => (
                    <tr data-step={s.step} data-outcome={s.outcome}>
                      <td>{dateTime(s.at)}</td>
                      <td><strong>{s.step}</strong> <span class="hint">{stepTypeLabel(s.type)}</span></td>
                      <td><code>{s.outcome}</code></td>
                      <td>{[s.reason, s.message_uuid ? t('automations.message', { id: s.message_uuid.slice(-8) }) : ''].filter(Boolean).join(' · ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

