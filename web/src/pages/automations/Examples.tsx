// "Start from an example": the example automations (GET /v1/automations/examples), each created in one click with
// the workspace's channels and teams in place of its placeholders (the first that fits, or the one picked). When the
// API refuses one (a template it needs is missing …), the editor opens with the example and the API's errors.
import { useEffect, useState } from 'preact/hooks';
import { api, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { ErrorLine } from '../../ui.tsx';
import { editorDraft } from './Editor.tsx';
import { triggerLabel, type Automation } from './shared.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

type Example = Schema<'AutomationExample'>;
type Placeholder = Example['placeholders'][number];
type Option = { uuid: string; label: string; type?: string };

const KNOWN = ['abandoned-cart', 'appointment-reminder', 'keyword-reply', 'order-confirmation', 'support-bot'];

/** Replaces every string value equal to a placeholder token by its chosen uuid. */
function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return values[value] ?? value;
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  return value;
}

/** A placeholder's label: "WhatsApp channel", "Channel", "Team: Sales". */
function placeholderLabel(p: Placeholder): string {
  if (p.kind === 'channel') return p.channel_type ? t('automations.examples.channelOf', { type: t(`automations.channelType.${p.channel_type}` as Key) }) : t('automations.examples.channel');
  const words = p.token.replace(/^\$/, '').split('_').filter((w) => w !== 'TEAM' && w !== 'UUID');
  const name = words.map((w) => w[0] + w.slice(1).toLowerCase()).join(' ');
  return p.kind === 'team' ? t('automations.examples.team', { name }) : name;
}

function ExampleCard({ example, channels, teams }: { example: Example; channels: Option[]; teams: Option[] }) {
  const optionsOf = (p: Placeholder) => (p.kind === 'channel' ? channels.filter((c) => !p.channel_type || c.type === p.channel_type) : p.kind === 'team' ? teams : []);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = Object.fromEntries(example.placeholders.map((p) => [p.token, picked[p.token] ?? optionsOf(p)[0]?.uuid ?? '']));
  const missing = example.placeholders.filter((p) => !values[p.token]);
  const id = `example-${example.id}`;

  const create = async () => {
    setBusy(true);
    const body = fill(example.definition, values) as Record<string, unknown>;
    const { data, error: problem } = await safely(() => api.POST('/v1/automations', { body: body as never }));
    setBusy(false);
    if (data) { navigate(`/automations/${(data.automation as Automation).uuid}`); return; }
    if (problem && (problem as { errors?: unknown[] }).errors?.length) {
      editorDraft.set({ text: JSON.stringify(body, null, 2), problem: problem });
      navigate('/automations/new');
      return;
    }
    setError(problem?.detail ?? problem?.title ?? 'error');
  };

  return (
    <li class="card example">
      <h3 id={`${id}-title`}>{example.name}</h3>
      <p class="hint">{triggerLabel({ type: example.trigger_type } as Automation['trigger'])}</p>
      {KNOWN.includes(example.id) && <p>{t(`automations.examples.about.${example.id}` as Key)}</p>}
      {example.placeholders.map((p) => {
        const options = optionsOf(p);
        const field = `${id}-${p.token.replace(/\W/g, '')}`;
        return options.length === 0 ? <p class="hint" data-missing={p.token}>{t('automations.examples.none', { what: placeholderLabel(p) })}</p> : (
          <div class="field">
            <label for={field}>{placeholderLabel(p)}</label>
            <select id={field} value={values[p.token]} onChange={(e) => setPicked({ ...picked, [p.token]: (e.currentTarget as HTMLSelectElement).value })}>
              {options.map((o) => <option value={o.uuid}>{p.channel_type || !o.type ? o.label : `${o.label} (${o.type})`}</option>)}
            </select>
          </div>
        );
      })}
      <ErrorLine message={error} />
      <button type="button" class="primary" disabled={busy || missing.length > 0} onClick={create} aria-describedby={`${id}-title`}>{t('automations.examples.use')}</button>
    </li>
  );
}

/** The examples list with their placeholders' pickers (shown to admins: agents cannot create automations). */
export function Examples() {
  const [examples, setExamples] = useState<Example[] | null>(null);
  const [channels, setChannels] = useState<Option[]>([]);
  const [teams, setTeams] = useState<Option[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const [ex, ch, tm] = await Promise.all([
        safely(() => api.GET('/v1/automations/examples')), safely(() => api.GET('/v1/channels')), safely(() => api.GET('/v1/teams')),
      ]);
      const problem = ex.error ?? ch.error ?? tm.error;
      setError(problem ? problem.detail ?? problem.title ?? 'error' : null);
      setChannels((ch.data?.channels ?? []).map((c) => ({ uuid: c.uuid, label: c.title, type: c.type })));
      setTeams((tm.data?.teams ?? []).map((team) => ({ uuid: team.uuid, label: team.name })));
      setExamples(ex.data?.examples ?? []);
    })();
  }, []);

  return (
    <section class="auto-examples" aria-labelledby="examples-title">
      <h2 id="examples-title">{t('automations.examples.title')}</h2>
      <p class="hint">{t('automations.examples.help')} <a href="/settings/channels" onClick={onLink}>{t('automations.examples.channelsLink')}</a></p>
      <ErrorLine message={error} />
      {examples === null ? <p role="status">{t('loading')}</p> : examples.length === 0 ? <p class="empty">{t('automations.examples.empty')}</p> : (
        <ul class="cards examples">{examples.map((e) => <ExampleCard example={e} channels={channels} teams={teams} />)}</ul>
      )}
    </section>
  );
}
