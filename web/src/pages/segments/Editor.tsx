// Creating or editing a segment: its name, its type (on creation), and for a dynamic segment the rule builder with
// the live member count beside it (POST /v1/segments/preview, debounced, nothing saved).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { num, t } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';
import { RuleBuilder, type BuilderContext } from './RuleBuilder.tsx';
import { fromRules, incomplete, newGroup, toRules, type GroupNode } from './model.ts';

/** How long the builder waits after the last edit before it asks for the count. */
const PREVIEW_DELAY_MS = 350;

/** The choices the builder offers: custom fields, other segments, campaigns (first 100 of each list). */
export function useChoices(exclude: string | undefined) {
  const [choices, setChoices] = useState<Pick<BuilderContext, 'customFields' | 'segments' | 'campaigns'>>({ customFields: [], segments: [], campaigns: [] });
  useEffect(() => {
    void (async () => {
      const [fields, segments, campaigns] = await Promise.all([
        safely(() => api.GET('/v1/custom_fields')),
        safely(() => api.GET('/v1/segments', { params: { query: { limit: 100 } } })),
        safely(() => api.GET('/v1/campaigns', { params: { query: { limit: 100 } } })),
      ]);
      setChoices({
        customFields: fields.data?.custom_fields ?? [],
        segments: (segments.data?.segments ?? []).filter((s) => s.uuid !== exclude),
        campaigns: (campaigns.data?.campaigns ?? []).map((c) => ({ uuid: c.uuid, name: c.name })),
      });
    })();
  }, [exclude]);
  return choices;
}

/** The live count of the rules being edited: the API's count and sample, or its errors by path. */
function usePreview(rules: unknown, enabled: boolean) {
  const [state, setState] = useState<{ count: number | null; sample: Schema<'Contact'>[]; errors: Record<string, string>; busy: boolean; message: string | null }>(
    { count: null, sample: [], errors: {}, busy: false, message: null });
  const asked = useRef(0);
  const body = JSON.stringify(rules);
  useEffect(() => {
    const ask = ++asked.current;
    if (!enabled) return setState({ count: null, sample: [], errors: {}, busy: false, message: null });
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(async () => {
      const { data, error } = await safely(() => api.POST('/v1/segments/preview', { body: { rules, sample_size: 5 } }));
      if (ask !== asked.current) return; // a later edit asked again
      if (error) {
        const parsed = fieldErrors(error);
        setState({ count: null, sample: [], errors: parsed.fields, busy: false, message: Object.keys(parsed.fields).length ? null : parsed.message });
      } else {
        setState({ count: data!.count, sample: data!.sample, errors: {}, busy: false, message: null });
      }
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [body, enabled]);
  return state;
}

/** The live count beside the builder. */
function LiveCount({ preview, waiting }: { preview: ReturnType<typeof usePreview>; waiting: boolean }) {
  if (waiting) {
    return (
      <aside class="card live-count" aria-labelledby="live-count-title">
        <h2 id="live-count-title">{t('segments.matching')}</h2>
        <p class="big" data-count="">—</p>
        <p class="hint">{t('segments.incomplete')}</p>
      </aside>
    );
  }
  return (
    <aside class="card live-count" aria-labelledby="live-count-title">
      <h2 id="live-count-title">{t('segments.matching')}</h2>
      <p class="big" aria-live="polite" aria-busy={preview.busy} data-count={preview.count ?? ''}>
        {preview.count === null ? '—' : num(preview.count)}
      </p>
      {preview.busy && <p class="hint" role="status">{t('segments.counting')}</p>}
      {!preview.busy && preview.count === null && <p class="hint">{preview.message ?? t('segments.countError')}</p>}
      {preview.sample.length > 0 && (
        <>
          <h3>{t('segments.sample')}</h3>
          <ul class="sample">{preview.sample.map((c) => <li>{c.name ?? c.phone ?? c.email}</li>)}</ul>
        </>
      )}
    </aside>
  );
}

/** The editor of segment `uuid`, or of a new segment when `uuid` is undefined. */
export function SegmentEditor({ uuid }: { uuid?: string }) {
  const [loaded, setLoaded] = useState<Schema<'Segment'> | null | undefined>(uuid ? undefined : null);
  const [name, setName] = useState('');
  const [type, setType] = useState<'dynamic' | 'static'>('dynamic');
  const [root, setRoot] = useState<GroupNode>(() => newGroup());
  const [saveErrors, setSaveErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const choices = useChoices(uuid);

  useEffect(() => {
    if (!uuid) return;
    void (async () => {
      const { data, error } = await safely(() => api.GET('/v1/segments/{uuid}', { params: { path: { uuid } } }));
      if (error) return setMessage(fieldErrors(error).message);
      const segment = data!.segment;
      setLoaded(segment);
      setName(segment.name);
      setType(segment.type);
      if (segment.rules) setRoot(fromRules(segment.rules));
    })();
  }, [uuid]);

  const { rules, paths } = toRules(root, choices.customFields);
  const waiting = incomplete(root);
  const preview = usePreview(rules, type === 'dynamic' && loaded !== undefined && !waiting);
  // the save's errors until the next edit, then the live preview's
  const ruleErrors = Object.keys(saveErrors).some((k) => k.startsWith('rules')) ? saveErrors : preview.errors;

  const change = (next: GroupNode) => { setRoot(next); setSaveErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('rules')))); };

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    const withRules = type === 'dynamic' ? { rules } : {};
    const { data, error } = uuid
      ? await safely(() => api.PATCH('/v1/segments/{uuid}', { params: { path: { uuid } }, body: { name, ...withRules } }))
      : await safely(() => api.POST('/v1/segments', { body: { name, type, ...withRules } }));
    setSaving(false);
    if (error) {
      const parsed = fieldErrors(error);
      setSaveErrors(parsed.fields);
      setShowAll(true);
      setMessage(Object.keys(parsed.fields).length ? null : parsed.message);
      return;
    }
    navigate(`/segments/${data!.segment.uuid}`);
  };

  if (loaded === undefined) return <section class="page"><ErrorLine message={message} />{!message && <p role="status">{t('loading')}</p>}</section>;
  const ctx: BuilderContext = { ...choices, errors: ruleErrors, paths, showAll };
  return (
    <section class="page segment-editor">
      <a href={uuid ? `/segments/${uuid}` : '/segments'} onClick={onLink} class="crumb">← {loaded ? loaded.name : t('segments.back')}</a>
      <h1>{loaded ? t('segments.editTitle', { name: loaded.name }) : t('segments.newTitle')}</h1>
      <form onSubmit={save} noValidate>
        <div class="editor-head">
          <Field id="segment-name" label={t('segments.name')} error={saveErrors.name}>
            <input id="segment-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} required maxLength={200} />
          </Field>
          {!uuid && (
            <fieldset class="field segment-type">
              <legend>{t('segments.type')}</legend>
              <label class="check"><input type="radio" name="type" value="dynamic" checked={type === 'dynamic'} onChange={() => setType('dynamic')} />{t('segments.typeDynamic')}</label>
              <label class="check"><input type="radio" name="type" value="static" checked={type === 'static'} onChange={() => setType('static')} />{t('segments.typeStatic')}</label>
              {saveErrors.type && <p class="field-error" role="alert">{saveErrors.type}</p>}
            </fieldset>
          )}
        </div>
        {type === 'dynamic' ? (
          <div class="builder-layout">
            <section aria-labelledby="rules-title" class="rules">
              <h2 id="rules-title">{t('segments.rules')}</h2>
              {ruleErrors.rules && <p class="field-error" role="alert">{ruleErrors.rules}</p>}
              <RuleBuilder root={root} onChange={change} ctx={ctx} />
            </section>
            <LiveCount preview={preview} waiting={waiting} />
          </div>
        ) : <p class="hint">{t('segments.staticHint')}</p>}
        <ErrorLine message={message} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={saving}>{saving ? t('segments.saving') : t('segments.save')}</button>
          <a href={uuid ? `/segments/${uuid}` : '/segments'} onClick={onLink}>{t('segments.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
