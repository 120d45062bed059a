// The per-contact preview: pick a contact of the audience and see the message rendered for them as you type (the
// Liquid engine loads with it, configured as the server's), or the Liquid error of the field that does not render.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.ts';
import { t } from '../../i18n.ts';
import type { Schema } from '../../../../sdk/src/index.ts';

/** What the campaign form edits. */
export interface Draft {
  name: string;
  channel_uuid: string;
  segment_uuids: string[];
  exclude_segment_uuids: string[];
  mode: 'text' | 'template';
  subject: string;
  text: string;
  html: string;
  template_uuid: string;
  template_values: string[];
  track_links: boolean;
  track_opens: boolean;
}

type Liquid = typeof import('./liquid.ts');
type Contact = Schema<'Contact'>;
type Rendered = { label: string; text?: string; html?: string; error?: string };
const PER_SEGMENT = 25;

/** Up to 25 contacts of each included segment, each once, none of an excluded segment's first page. */
function useAudience(segments: string[], excluded: string[]): Contact[] | null {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  useEffect(() => {
    let live = true;
    const page = (uuid: string) => api.GET('/v1/segments/{uuid}/contacts', { params: { path: { uuid }, query: { limit: PER_SEGMENT } } })
      .then((r) => r.data?.contacts ?? [], () => [] as Contact[]);
    void Promise.all([Promise.all(segments.map(page)), Promise.all(excluded.map(page))]).then(([inc, exc]) => {
      if (!live) return;
      const out = new Set(exc.flat().map((c) => c.uuid));
      const seen = new Map<string, Contact>();
      for (const c of inc.flat()) if (!out.has(c.uuid) && !seen.has(c.uuid)) seen.set(c.uuid, c);
      setContacts([...seen.values()]);
    });
    return () => { live = false; };
  }, [segments.join(), excluded.join()]);
  return contacts;
}

/** The parts of the message as one contact gets them. */
function renderFor(liquid: Liquid, draft: Draft, channelType: string | undefined, template: Schema<'Template'> | undefined, contact: Contact): Rendered[] {
  const scope = liquid.scopeOf(contact);
  const part = (label: string, source: string, html = false): Rendered => {
    const r = liquid.render(source, scope);
    return 'error' in r ? { label, error: r.error } : html ? { label, html: r.text } : { label, text: r.text };
  };
  if (channelType === 'email') {
    return [part(t('campaigns.subject'), draft.subject), ...(draft.text ? [part(t('campaigns.textBody'), draft.text)] : []), ...(draft.html ? [part(t('campaigns.html'), draft.html, true)] : [])];
  }
  if (draft.mode === 'template') {
    if (!template) return [{ label: t('campaigns.template'), error: t('campaigns.pickTemplate') }];
    const values = template.variables.map((_, i) => liquid.render(draft.template_values[i] ?? '', scope));
    const failed = values.find((v) => 'error' in v);
    if (failed && 'error' in failed) return [{ label: template.name, error: failed.error }];
    return [{ label: template.name, text: liquid.fillTemplate(template.body, template.variables, values.map((v) => ('text' in v ? v.text : ''))) }];
  }
  return [part(t('campaigns.text'), draft.text)];
}

/** The preview panel beside the campaign form. */
export function Preview({ draft, channelType, template }: { draft: Draft; channelType: string | undefined; template: Schema<'Template'> | undefined }) {
  const audience = useAudience(draft.segment_uuids, draft.exclude_segment_uuids);
  const [liquid, setLiquid] = useState<Liquid | null>(null);
  const [picked, setPicked] = useState('');
  useEffect(() => { void import('./liquid.ts').then(setLiquid); }, []);
  const contact = audience?.find((c) => c.uuid === picked) ?? audience?.[0];
  const parts = liquid && contact ? renderFor(liquid, draft, channelType, template, contact) : [];

  return (
    <aside class="card preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('campaigns.preview')}</h2>
      {audience === null ? <p role="status">{t('loading')}</p> : audience.length === 0 ? <p class="empty">{t('campaigns.previewNoAudience')}</p> : (
        <>
          <label for="preview-contact">{t('campaigns.previewFor')}</label>
          <select id="preview-contact" value={contact?.uuid} onChange={(e) => setPicked(e.currentTarget.value)}>
            {audience.map((c) => <option value={c.uuid}>{c.name ?? c.phone ?? c.email ?? c.uuid}{c.name && (c.phone || c.email) ? ` — ${c.phone ?? c.email}` : ''}</option>)}
          </select>
          <div class="rendered" aria-live="polite">
            {parts.map((p) => (
              <div class="part">
                <h3>{p.label}</h3>
                {p.error !== undefined ? <p class="field-error">{t('campaigns.previewError', { error: p.error })}</p>
                  : p.html !== undefined ? <iframe title={t('campaigns.previewHtml')} sandbox="" srcdoc={p.html} />
                  : <p class="bubble">{p.text || <span class="hint">{t('campaigns.previewEmpty')}</span>}</p>}
              </div>
            ))}
          </div>
          <p class="hint">{t('campaigns.previewNote')}</p>
        </>
      )}
    </aside>
  );
}
