// Create or edit a campaign: name, channel, audience (segments in, segments out), content (text, a template with
// values, or an email's subject, text and HTML), link and open tracking, beside a live per-contact preview; the API's
// field errors next to each field.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { navigate } from '../../router.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { Preview, type Draft } from './preview.tsx';
import { errorFor, useChoices, type Campaign, type Choices } from './shared.tsx';

type Body = Record<string, unknown>;
/** The API field each draft value is sent as. */
const FIELD_OF: Partial<Record<keyof Draft, string>> = { text: 'content', html: 'content', mode: 'content', track_links: 'settings', track_opens: 'settings' };
/** The API fields the form shows errors next to. */
const SHOWN = ['name', 'channel_uuid', 'segment_uuids', 'exclude_segment_uuids', 'subject', 'content', 'template_uuid', 'template_values'];

/** The draft a campaign starts from (a new one: the first channel, no audience). */
function draftOf(campaign: Campaign | null, choices: Choices): Draft {
  const values = campaign?.template_values;
  return {
    name: campaign?.name ?? '', channel_uuid: campaign?.channel_uuid ?? choices.channels[0]?.uuid ?? '',
    segment_uuids: campaign?.segment_uuids ?? [], exclude_segment_uuids: campaign?.exclude_segment_uuids ?? [],
    mode: campaign?.template_uuid ? 'template' : 'text', subject: campaign?.subject ?? '', text: campaign?.content?.text ?? '',
    html: campaign?.content?.html ?? '', template_uuid: campaign?.template_uuid ?? '',
    template_values: Array.isArray(values) ? values : values ? Object.values(values) : [],
    track_links: campaign?.settings.track_links ?? true, track_opens: campaign?.settings.track_opens ?? true,
  };
}

/** The API body of a draft (for PATCH, `null` clears what the chosen kind of content does not use). */
function bodyOf(d: Draft, channelType: string | undefined, existing: Campaign | null): Body {
  const clear = existing !== null;
  const url = existing?.content?.url;
  const content = (fields: Record<string, string>) => {
    const kept = Object.fromEntries(Object.entries({ ...(url ? { url } : {}), ...fields }).filter(([, v]) => v !== ''));
    return Object.keys(kept).length ? { content: kept } : clear ? { content: null } : {};
  };
  const base: Body = { name: d.name, channel_uuid: d.channel_uuid, segment_uuids: d.segment_uuids, exclude_segment_uuids: d.exclude_segment_uuids };
  const noTemplate = clear ? { template_uuid: null, template_values: null } : {};
  if (channelType === 'email') {
    return { ...base, ...(d.subject ? { subject: d.subject } : clear ? { subject: null } : {}), ...content({ text: d.text, html: d.html }), ...noTemplate,
      settings: { track_links: d.track_links, track_opens: d.track_opens } };
  }
  const noSubject = clear ? { subject: null } : {};
  if (d.mode === 'template') {
    return { ...base, ...noSubject, ...(clear ? { content: null } : {}), ...(d.template_uuid ? { template_uuid: d.template_uuid } : {}), template_values: d.template_values,
      settings: { track_links: d.track_links } };
  }
  return { ...base, ...noSubject, ...content({ text: d.text }), ...noTemplate, settings: { track_links: d.track_links } };
}

/** A group of segment checkboxes (the audience, or the segments left out). */
function SegmentPicker({ id, legend, choices, picked, error, onChange }: { id: string; legend: string; choices: Choices; picked: string[]; error?: string; onChange: (next: string[]) => void }) {
  return (
    <fieldset class={error ? 'segments invalid' : 'segments'} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {choices.segments.length === 0 && <p class="hint">{t('campaigns.noSegments')}</p>}
      {choices.segments.map((s) => (
        <label class="check">
          <input type="checkbox" name={id} value={s.uuid} checked={picked.includes(s.uuid)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...picked, s.uuid] : picked.filter((u) => u !== s.uuid))} />
          {s.name} <span class="hint">({t(`campaigns.segmentType.${s.type}` as Key)})</span>
        </label>
      ))}
      {error && <p class="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </fieldset>
  );
}

/** The campaign form page: `uuid` null creates a campaign, otherwise edits it. */
export function CampaignForm({ uuid }: { uuid: string | null }) {
  const choices = useChoices();
  const [existing, setExisting] = useState<Campaign | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!choices) return;
    if (!uuid) return setDraft(draftOf(null, choices));
    void safely(() => api.GET('/v1/campaigns/{uuid}', { params: { path: { uuid } } })).then(({ data, error: problem }) => {
      if (problem) return setError(fieldErrors(problem).message);
      setExisting(data!.campaign);
      setDraft(draftOf(data!.campaign, choices));
    });
  }, [choices, uuid]);

  if (!choices || !draft) return <section class="page"><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    // an edited field's error goes with the edit (the next save says again what is still wrong)
    const touched = Object.keys(patch).map((k) => FIELD_OF[k as keyof Draft] ?? k);
    const left = Object.entries(fields).filter(([k]) => !touched.some((f) => k === f || k.startsWith(f + '.')));
    setFields(Object.fromEntries(left));
    if (left.length === 0 && Object.keys(fields).length > 0) setError(null);
  };
  const channel = choices.channels.find((c) => c.uuid === draft.channel_uuid);
  const isEmail = channel?.type === 'email';
  const templates = choices.templates.filter((tp) => tp.channel_type === channel?.type && (tp.channel_uuid === null || tp.channel_uuid === channel?.uuid));
  const template = templates.find((tp) => tp.uuid === draft.template_uuid);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const body = bodyOf(draft, channel?.type, existing);
    const { data, error: problem } = await safely(() => (existing
      ? api.PATCH('/v1/campaigns/{uuid}', { params: { path: { uuid: existing.uuid } }, body: body as never })
      : api.POST('/v1/campaigns', { body: body as never })));
    setBusy(false);
    if (problem) {
      const parsed = fieldErrors(problem);
      setFields(parsed.fields);
      // the field errors stand next to their fields; the general line only says what no field shows
      setError(Object.keys(parsed.fields).every((k) => SHOWN.some((f) => k === f || k.startsWith(f + '.'))) && Object.keys(parsed.fields).length ? t('campaigns.checkFields') : parsed.message);
      return;
    }
    navigate(`/campaigns/${data!.campaign.uuid}`);
  };

  return (
    <section class="page campaign-form">
      <h1>{existing ? t('campaigns.editTitle', { name: existing.name }) : t('campaigns.new')}</h1>
      <div class="campaign-edit">
        <form onSubmit={save} noValidate class="card">
          <Field id="c-name" label={t('campaigns.name')} error={fields.name}>
            <input id="c-name" value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field id="c-channel" label={t('campaigns.channel')} error={fields.channel_uuid}>
            <select id="c-channel" value={draft.channel_uuid} onChange={(e) => set({ channel_uuid: e.currentTarget.value, template_uuid: '', template_values: [] })}>
              {choices.channels.map((c) => <option value={c.uuid}>{c.title} ({t(`campaigns.type.${c.type}` as Key)})</option>)}
            </select>
          </Field>
          <SegmentPicker id="c-segments" legend={t('campaigns.audience')} choices={choices} picked={draft.segment_uuids} error={errorFor(fields, 'segment_uuids')}
            onChange={(segment_uuids) => set({ segment_uuids })} />
          <SegmentPicker id="c-exclude" legend={t('campaigns.exclude')} choices={choices} picked={draft.exclude_segment_uuids} error={errorFor(fields, 'exclude_segment_uuids')}
            onChange={(exclude_segment_uuids) => set({ exclude_segment_uuids })} />
          {!isEmail && (
            <fieldset class="mode">
              <legend>{t('campaigns.content')}</legend>
              <label class="check"><input type="radio" name="c-mode" checked={draft.mode === 'text'} onChange={() => set({ mode: 'text' })} />{t('campaigns.modeText')}</label>
              <label class="check"><input type="radio" name="c-mode" checked={draft.mode === 'template'} onChange={() => set({ mode: 'template' })} />{t('campaigns.modeTemplate')}</label>
            </fieldset>
          )}
          {isEmail && (
            <Field id="c-subject" label={t('campaigns.subject')} error={fields.subject}>
              <input id="c-subject" value={draft.subject} onInput={(e) => set({ subject: e.currentTarget.value })} />
            </Field>
          )}
          {(isEmail || draft.mode === 'text') && (
            <Field id="c-text" label={isEmail ? t('campaigns.textBody') : t('campaigns.text')} error={fields['content.text'] ?? fields.content}>
              <textarea id="c-text" rows={6} value={draft.text} onInput={(e) => set({ text: e.currentTarget.value })} />
            </Field>
          )}
          {isEmail && (
            <Field id="c-html" label={t('campaigns.html')} error={fields['content.html']}>
              <textarea id="c-html" rows={6} value={draft.html} onInput={(e) => set({ html: e.currentTarget.value })} />
            </Field>
          )}
          {!isEmail && draft.mode === 'template' && (
            <>
              <Field id="c-template" label={t('campaigns.template')} error={fields.template_uuid ?? fields.content}>
                <select id="c-template" value={draft.template_uuid} onChange={(e) => set({ template_uuid: e.currentTarget.value, template_values: [] })}>
                  <option value="">{t('campaigns.pickTemplate')}</option>
                  {templates.map((tp) => <option value={tp.uuid}>{tp.name} ({tp.language}, {tp.status})</option>)}
                </select>
              </Field>
              {template?.variables.map((name, i) => (
                <Field id={`c-value-${i}`} label={t('campaigns.templateValue', { name })} error={fields[`template_values.${i}`] ?? fields[`template_values.${name}`]}>
                  <input id={`c-value-${i}`} value={draft.template_values[i] ?? ''}
                    onInput={(e) => { const next = [...draft.template_values]; next[i] = e.currentTarget.value; set({ template_values: next }); }} />
                </Field>
              ))}
              {errorFor(fields, 'template_values') && !template && <p class="field-error" role="alert">{errorFor(fields, 'template_values')}</p>}
            </>
          )}
          <p class="hint">{t('campaigns.liquidHint')}</p>
          <fieldset class="mode">
            <legend>{t('campaigns.tracking')}</legend>
            <label class="check"><input type="checkbox" checked={draft.track_links} onChange={(e) => set({ track_links: e.currentTarget.checked })} />{t('campaigns.trackLinks')}</label>
            {isEmail && <label class="check"><input type="checkbox" checked={draft.track_opens} onChange={(e) => set({ track_opens: e.currentTarget.checked })} />{t('campaigns.trackOpens')}</label>}
          </fieldset>
          <ErrorLine message={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{existing ? t('campaigns.save') : t('campaigns.create')}</button>
            <button type="button" onClick={() => navigate(existing ? `/campaigns/${existing.uuid}` : '/campaigns')}>{t('campaigns.back')}</button>
          </div>
        </form>
        <Preview draft={draft} channelType={channel?.type} template={template} />
      </div>
    </section>
  );
}
