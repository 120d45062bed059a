// An automation's page: its state and lifecycle buttons (admins), its run counters, the drawing of its steps with
// each step's counts, its runs and the opened run's history; it reloads live as runs move (the shared event stream).
import { useEffect, useState } from 'preact/hooks';
import { api, me, safely } from '../../api.ts';
import { num, t, type Key } from '../../i18n.ts';
import { onEvents } from '../../live.ts';
import { navigate, onLink } from '../../router.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine } from '../../ui.tsx';
import { Drawing } from './Drawing.tsx';
import { RunsList, RunView } from './Runs.tsx';
import { StatusPill, triggerLabel, type Automation, type Run, type Stats } from './shared.tsx';
import type { StepDef } from './layout.ts';

type Move = 'activate' | 'pause' | 'archive';
/** The moves each status allows (docs/automations.md: draft → active ⇄ paused; archive from any but archived). */
const MOVES: Record<string, Move[]> = { draft: ['activate', 'archive'], active: ['pause', 'archive'], paused: ['activate', 'archive'], archived: [] };

/** A counter that grows when an automation run or a message event arrives (a short pause groups a burst). */
function useLiveTick(): [number, () => void] {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = onEvents((e) => {
      if (!e.event.startsWith('automation_run_') && !e.event.startsWith('message_')) return;
      clearTimeout(timer);
      timer = setTimeout(() => setTick((n) => n + 1), 200);
    });
    return () => { clearTimeout(timer); stop(); };
  }, []);
  return [tick, () => setTick((n) => n + 1)];
}

function RunCounters({ stats }: { stats: Stats | null }) {
  const runs = stats?.runs;
  const items: [string, Key, string][] = runs ? [
    ['started', 'automations.col.started', num(runs.started)], ['active', 'automations.status.active', num(runs.active)],
    ['completed', 'automations.col.completed', num(runs.completed)], ['exited', 'automations.status.exited', num(runs.exited)],
    ['failed', 'automations.status.failed', num(runs.failed)], ['converted', 'automations.col.converted', num(runs.converted)],
    ['conversion_rate', 'automations.conversionRate', num(runs.conversion_rate, { style: 'percent', maximumFractionDigits: 1 })],
  ] : [];
  return <div class="stats auto-counters">{items.map(([id, key, value]) => <div class="stat card"><span>{t(key)}</span><strong data-stat={id}>{value}</strong></div>)}</div>;
}

/** The page of automation `uuid`, with run `runUuid` opened when given. */
export function AutomationDetail({ uuid, runUuid }: { uuid: string; runUuid: string | null }) {
  const user = useSignal(me);
  const [automation, setAutomation] = useState<Automation | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'archive' | 'delete' | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const [tick, reload] = useLiveTick();

  useEffect(() => {
    let live = true;
    void (async () => {
      const [one, counts] = await Promise.all([
        safely(() => api.GET('/v1/automations/{uuid}', { params: { path: { uuid } } })),
        safely(() => api.GET('/v1/automations/{uuid}/stats', { params: { path: { uuid } } })),
      ]);
      if (!live) return;
      const problem = one.error ?? counts.error;
      setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
      if (one.data) setAutomation(one.data.automation);
      if (counts.data) setStats(counts.data.stats);
    })();
    return () => { live = false; };
  }, [uuid, tick]);
  useEffect(() => { if (!runUuid) setRun(null); }, [runUuid]);

  if (!automation) return error ? <ErrorLine message={error} /> : <p role="status">{t('loading')}</p>;
  const admin = user?.role === 'admin';

  const move = async (action: Move) => {
    setBusy(true);
    const path = { params: { path: { uuid } } };
    const call = action === 'activate' ? () => api.POST('/v1/automations/{uuid}/activate', path)
      : action === 'pause' ? () => api.POST('/v1/automations/{uuid}/pause', path) : () => api.POST('/v1/automations/{uuid}/archive', path);
    const { data, error: problem } = await safely(call);
    setBusy(false);
    setConfirming(null);
    setActionError(problem ? problem.detail ?? problem.title ?? 'error' : null);
    if (data) { setAutomation(data.automation); reload(); }
  };
  const remove = async () => {
    setBusy(true);
    const { error: problem } = await safely(() => api.DELETE('/v1/automations/{uuid}', { params: { path: { uuid } } }));
    setBusy(false);
    if (problem) { setConfirming(null); setActionError(problem.detail ?? problem.title ?? 'error'); return; }
    navigate('/automations');
  };

  return (
    <section class="automation">
      <p><a href="/automations" onClick={onLink}>{t('automations.back')}</a></p>
      <div class="page-head">
        <h1>{automation.name}</h1>
        {admin && (
          <div class="actions" role="group" aria-label={t('automations.actions')}>
            {MOVES[automation.status].filter((m) => m !== 'archive').map((m) => (
              <button type="button" class={m === 'activate' ? 'primary' : undefined} disabled={busy} onClick={() => move(m)}>{t(`automations.${m}` as Key)}</button>
            ))}
            {automation.status !== 'archived' && <a class="button" href={`/automations/${uuid}/edit`} onClick={onLink}>{t('automations.edit')}</a>}
            {MOVES[automation.status].includes('archive') && (confirming === 'archive'
              ? <button type="button" class="danger" disabled={busy} onClick={() => move('archive')}>{t('automations.confirmArchive')}</button>
              : <button type="button" disabled={busy} onClick={() => setConfirming('archive')}>{t('automations.archive')}</button>)}
            {automation.status !== 'active' && (confirming === 'delete'
              ? <button type="button" class="danger" disabled={busy} onClick={remove}>{t('automations.confirmDelete')}</button>
              : <button type="button" disabled={busy} onClick={() => setConfirming('delete')}>{t('automations.delete')}</button>)}
          </div>
        )}
      </div>
      <p class="auto-meta">
        <StatusPill status={automation.status} /> <span>{t('automations.versionN', { n: automation.version })}</span>
        {' · '}<span data-field="trigger">{triggerLabel(automation.trigger)}</span>
        {' · '}<span>{t(`automations.policy.${automation.entry.policy}` as Key)}</span>
        {automation.exit_on.length > 0 && <>{' · '}<span>{t('automations.exitOn', { events: automation.exit_on.join(', ') })}</span></>}
        {automation.goal && <>{' · '}<span>{t('automations.goal', { event: automation.goal.event })}</span></>}
      </p>
      <ErrorLine message={actionError ?? error} />
      <RunCounters stats={stats} />
      <h2>{t('automations.steps')}</h2>
      <Drawing start={automation.start} steps={automation.steps as Record<string, StepDef>} stats={stats?.steps} current={run?.status === 'active' ? run.current_step : null} />
      <div class={runUuid ? 'auto-split' : undefined}>
        <RunsList uuid={uuid} selected={runUuid} tick={tick} />
        {runUuid && <RunView automation={uuid} uuid={runUuid} tick={tick} onRun={setRun} />}
      </div>
    </section>
  );
}
