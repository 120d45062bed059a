// What can be done to a campaign in its status: edit, send now, schedule (a date-time in the user's time zone),
// unschedule, pause, resume, cancel, delete (each a 409 the page shows when the status moved meanwhile).
import { useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { navigate } from '../../router.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Campaign } from './shared.tsx';

type Step = 'send' | 'unschedule' | 'pause' | 'resume' | 'cancel';
/** The steps each status allows (docs/campaigns.md, Lifecycle). */
const STEPS: Record<string, Step[]> = { draft: ['send'], scheduled: ['send', 'unschedule', 'cancel'], sending: ['pause', 'cancel'], paused: ['resume', 'cancel'] };
/** Steps asked twice (they reach customers or cannot be undone). */
const CONFIRMED = new Set<Step | 'delete'>(['send', 'cancel', 'delete']);
/** The user's IANA time zone (the schedule's wall time is read in it). */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A button that, for a confirmed step, asks once more inline before acting. */
function StepButton({ name, busy, onRun, primary }: { name: Step | 'delete'; busy: boolean; onRun: () => void; primary?: boolean }) {
  const [asking, setAsking] = useState(false);
  const label = t(`campaigns.step.${name}` as Key);
  if (!CONFIRMED.has(name)) return <button type="button" disabled={busy} onClick={onRun}>{label}</button>;
  if (!asking) return <button type="button" class={primary ? 'primary' : name === 'send' ? '' : 'danger'} disabled={busy} onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span class="confirm" role="group" aria-label={t(`campaigns.confirm.${name}` as Key)}>
      <span>{t(`campaigns.confirm.${name}` as Key)}</span>
      <button type="button" class={name === 'send' ? 'primary' : 'danger'} disabled={busy} onClick={() => { setAsking(false); onRun(); }} autoFocus>{t('campaigns.confirmYes', { step: label })}</button>
      <button type="button" onClick={() => setAsking(false)}>{t('campaigns.confirmNo')}</button>
    </span>
  );
}

/** The schedule form: a local date-time read in the user's time zone. */
function ScheduleForm({ campaign, onDone }: { campaign: Campaign; onDone: (c: Campaign) => void }) {
  const [at, setAt] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const { data, error: problem } = await safely(() => api.POST('/v1/campaigns/{uuid}/schedule', { params: { path: { uuid: campaign.uuid } }, body: { send_at: at, time_zone: ZONE } }));
    if (problem) {
      const parsed = fieldErrors(problem);
      setFields(parsed.fields);
      return setError(parsed.fields.send_at || parsed.fields.time_zone ? null : parsed.message);
    }
    setFields({});
    setError(null);
    onDone(data!.campaign);
  };
  return (
    <form class="schedule filters" onSubmit={submit} noValidate>
      <Field id="c-send-at" label={t('campaigns.sendAt', { zone: ZONE })} error={fields.send_at ?? fields.time_zone}>
        <input id="c-send-at" type="datetime-local" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
      </Field>
      <button type="submit">{campaign.status === 'scheduled' ? t('campaigns.reschedule') : t('campaigns.schedule')}</button>
      <ErrorLine message={error} />
    </form>
  );
}

/** The lifecycle controls of a campaign (for users who may change it). */
export function CampaignActions({ campaign, onChange }: { campaign: Campaign; onChange: (c: Campaign) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { uuid: campaign.uuid } } };
  const run = async (step: Step) => {
    setBusy(true);
    const { data, error: problem } = await safely(() => api.POST(`/v1/campaigns/{uuid}/${step}`, path));
    setBusy(false);
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    onChange(data!.campaign);
  };
  const remove = async () => {
    setBusy(true);
    const { error: problem } = await safely(() => api.DELETE('/v1/campaigns/{uuid}', path));
    setBusy(false);
    if (problem) return setError(fieldErrors(problem).message);
    navigate('/campaigns');
  };
  const editable = campaign.status === 'draft' || campaign.status === 'scheduled';
  const deletable = ['draft', 'scheduled', 'completed', 'cancelled'].includes(campaign.status);
  return (
    <div class="card campaign-actions">
      <div class="actions">
        {editable && <button type="button" onClick={() => navigate(`/campaigns/${campaign.uuid}/edit`)}>{t('campaigns.edit')}</button>}
        {(STEPS[campaign.status] ?? []).map((step) => <StepButton name={step} busy={busy} primary={step === 'send'} onRun={() => void run(step)} />)}
        {deletable && <StepButton name="delete" busy={busy} onRun={() => void remove()} />}
      </div>
      {editable && <ScheduleForm campaign={campaign} onDone={onChange} />}
      <ErrorLine message={error} />
    </div>
  );
}
