// The rule builder: groups (all / any of their children, optionally negated) of conditions, each a field, an operator
// and a value control that suits the field's kind; the API's field errors show next to the control they name.
import type { ComponentChildren } from 'preact';
import { t, type Key } from '../../i18n.ts';
import { Field } from '../../ui.tsx';
import { en } from './i18n.ts';
import type { Schema } from '../../../../sdk/src/index.ts';
import {
  CAMPAIGN_FIELDS, COLUMN_FIELDS, CONSENT_FIELDS, CONSENT_VALUES, condErrors, editNode, EVENT_FIELD, groupError, kindOf, newCond, newGroup,
  OPS_BY_KIND, takesValue, type CondNode, type EditNode, type GroupNode, type Kind,
} from './model.ts';

/** What the builder offers as choices, and the API's errors with the path of each node. */
export interface BuilderContext {
  customFields: Schema<'CustomField'>[];
  segments: Schema<'Segment'>[];
  campaigns: { uuid: string; name: string }[];
  errors: Record<string, string>;
  paths: Map<number, string>;
  /** Show errors of untouched values too (after a save attempt). */
  showAll: boolean;
}

/** The label of an operator for a field kind (tags, segments, campaigns and dates word some of them their own way). */
export function opLabel(op: string, kind: Kind): string {
  const specific = `segments.op.${kind}.${op}`;
  return specific in en ? t(specific as Key) : t(`segments.op.${op}` as Key);
}

/** The label of a field (a custom field by its label). */
export function fieldLabel(field: string, customFields: Schema<'CustomField'>[]): string {
  if (field.startsWith('custom_fields.')) return customFields.find((f) => `custom_fields.${f.key}` === field)?.label ?? field.slice('custom_fields.'.length);
  if (field.startsWith('event.')) return t('segments.event', { name: field.slice('event.'.length) });
  const key = `segments.field.${field}`;
  return key in en ? t(key as Key) : field;
}

/** The whole tree: its root group. */
export function RuleBuilder({ root, onChange, ctx }: { root: GroupNode; onChange: (root: GroupNode) => void; ctx: BuilderContext }) {
  const edit = (id: number, fn: (node: EditNode) => EditNode | null) => onChange(editNode(root, id, fn));
  return <Group node={root} depth={0} edit={edit} ctx={ctx} />;
}

type Edit = (id: number, fn: (node: EditNode) => EditNode | null) => void;

function Group({ node, depth, edit, ctx }: { node: GroupNode; depth: number; edit: Edit; ctx: BuilderContext }) {
  const set = (patch: Partial<GroupNode>) => edit(node.id, (n) => ({ ...(n as GroupNode), ...patch }));
  const error = groupError(ctx.errors, ctx.paths.get(node.id), node.mode);
  const legendId = `g${node.id}-legend`;
  return (
    <fieldset class={`rule-group depth-${Math.min(depth, 3)}${node.negate ? ' negated' : ''}`} aria-labelledby={legendId}>
      <div class="group-head" id={legendId}>
        <label class="inline">
          <span>{t(depth === 0 ? 'segments.matchRoot' : 'segments.matchGroup')}</span>
          <select value={node.mode} onChange={(e) => set({ mode: (e.currentTarget as HTMLSelectElement).value as 'all' | 'any' })}>
            <option value="all">{t('segments.all')}</option>
            <option value="any">{t('segments.any')}</option>
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={node.negate} onChange={(e) => set({ negate: (e.currentTarget as HTMLInputElement).checked })} />
          {t('segments.negate')}
        </label>
        {depth > 0 && <button type="button" class="link danger" onClick={() => edit(node.id, () => null)}>{t('segments.removeGroup')}</button>}
      </div>
      {error && <p class="field-error" role="alert">{error}</p>}
      <ol class="rule-children">
        {node.children.map((child) => (
          <li key={child.id}>
            {child.type === 'group' ? <Group node={child} depth={depth + 1} edit={edit} ctx={ctx} /> : <Condition node={child} edit={edit} ctx={ctx} />}
          </li>
        ))}
      </ol>
      <div class="group-actions">
        <button type="button" onClick={() => set({ children: [...node.children, newCond()] })}>{t('segments.addCondition')}</button>
        {depth < 6 && <button type="button" onClick={() => set({ children: [...node.children, newGroup(node.mode === 'all' ? 'any' : 'all')] })}>{t('segments.addGroup')}</button>}
      </div>
    </fieldset>
  );
}

function FieldOptions({ ctx, current }: { ctx: BuilderContext; current: string }) {
  const known = new Set([...Object.keys(COLUMN_FIELDS), ...CONSENT_FIELDS, ...CAMPAIGN_FIELDS, 'segment', EVENT_FIELD, ...ctx.customFields.map((f) => `custom_fields.${f.key}`)]);
  const custom = ctx.customFields.map((f) => `custom_fields.${f.key}`);
  if (current.startsWith('custom_fields.') && !known.has(current)) custom.push(current); // a key without a definition
  const option = (field: string) => <option value={field}>{fieldLabel(field, ctx.customFields)}</option>;
  return (
    <>
      <optgroup label={t('segments.fields.contact')}>{Object.keys(COLUMN_FIELDS).map(option)}</optgroup>
      <optgroup label={t('segments.fields.consent')}>{CONSENT_FIELDS.map(option)}</optgroup>
      {custom.length > 0 && <optgroup label={t('segments.fields.custom')}>{custom.map(option)}</optgroup>}
      <optgroup label={t('segments.fields.lists')}>{option('segment')}</optgroup>
      <optgroup label={t('segments.fields.campaigns')}>{CAMPAIGN_FIELDS.map(option)}</optgroup>
      <optgroup label={t('segments.fields.events')}><option value={EVENT_FIELD}>{t('segments.field.event')}</option></optgroup>
    </>
  );
}

function Condition({ node, edit, ctx }: { node: CondNode; edit: Edit; ctx: BuilderContext }) {
  const kind = kindOf(node.field, ctx.customFields);
  const all = condErrors(ctx.errors, ctx.paths.get(node.id));
  // an untouched empty value is not an error yet: the API names it once the user saves
  const errors = ctx.showAll || node.touched ? all : Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('value')));
  const set = (patch: Partial<CondNode>) => edit(node.id, (n) => ({ ...(n as CondNode), ...patch }));
  const setField = (field: string) => {
    const next = kindOf(field, ctx.customFields);
    set({ field, op: OPS_BY_KIND[next].includes(node.op) && next === kind ? node.op : OPS_BY_KIND[next][0], value: '', values: [], touched: false });
  };
  const id = `c${node.id}`;
  return (
    <div class="condition" data-condition={node.id}>
      <Field id={`${id}-field`} label={t('segments.field')} error={errors.field && node.field !== EVENT_FIELD ? errors.field : undefined}>
        <select id={`${id}-field`} value={node.field} onChange={(e) => setField((e.currentTarget as HTMLSelectElement).value)}>
          <FieldOptions ctx={ctx} current={node.field} />
        </select>
      </Field>
      <Field id={`${id}-op`} label={t('segments.operator')} error={errors.op}>
        <select id={`${id}-op`} value={node.op} onChange={(e) => set({ op: (e.currentTarget as HTMLSelectElement).value })}>
          {OPS_BY_KIND[kind].map((op) => <option value={op}>{opLabel(op, kind)}</option>)}
        </select>
      </Field>
      <Value node={node} kind={kind} set={(patch) => set({ ...patch, touched: true })} errors={errors} ctx={ctx} id={id} />
      <button type="button" class="remove" onClick={() => edit(node.id, () => null)} aria-label={t('segments.removeCondition')} title={t('segments.removeCondition')}>×</button>
      {errors.node && <p class="field-error" role="alert">{errors.node}</p>}
    </div>
  );
}

function Choice({ id, label, error, value, onChange, children }: { id: string; label: string; error?: string; value: string; onChange: (v: string) => void; children: ComponentChildren }) {
  return (
    <Field id={id} label={label} error={error}>
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('segments.choose')}</option>
        {children}
      </select>
    </Field>
  );
}

function Value({ node, kind, set, errors, ctx, id }: { node: CondNode; kind: Kind; set: (p: Partial<CondNode>) => void; errors: Record<string, string>; ctx: BuilderContext; id: string }) {
  const valueId = `${id}-value`;
  const input = (type: 'text' | 'number' | 'date' | 'email', extra: Record<string, unknown> = {}) => {
    const props = { id: valueId, type, value: node.value, onInput: (e: Event) => set({ value: (e.currentTarget as HTMLInputElement).value }), ...extra };
    return <input {...(props as Record<string, unknown>)} />;
  };
  if (kind === 'event') return <EventValue node={node} set={set} errors={errors} id={id} />;
  if (!takesValue(node.op)) return null;
  const label = t('segments.value');
  const error = errors.value;
  if (node.op === 'within_days') {
    return <Field id={valueId} label={t('segments.days')} error={error}>{input('number', { min: 1, max: 36500, step: 1, inputMode: 'numeric' })}</Field>;
  }
  if (kind === 'consent' && (node.op === 'in' || node.op === 'not_in')) {
    const toggle = (status: string, on: boolean) => set({ values: on ? [...node.values, status] : node.values.filter((v) => v !== status) });
    return (
      <fieldset class="field consent-values" aria-describedby={error ? `${valueId}-error` : undefined}>
        <legend>{label}</legend>
        {CONSENT_VALUES.map((status) => (
          <label class="check"><input type="checkbox" checked={node.values.includes(status)} onChange={(e) => toggle(status, (e.currentTarget as HTMLInputElement).checked)} />{t(`consent.${status}` as Key)}</label>
        ))}
        {error && <p class="field-error" id={`${valueId}-error`} role="alert">{error}</p>}
      </fieldset>
    );
  }
  if (node.op === 'in' || node.op === 'not_in') {
    return <Field id={valueId} label={t('segments.values')} error={error}>{input('text', { placeholder: t('segments.commaHint') })}</Field>;
  }
  const pick = (v: string) => set({ value: v });
  switch (kind) {
    case 'consent':
      return <Choice id={valueId} label={label} error={error} value={node.value} onChange={pick}>{CONSENT_VALUES.map((s) => <option value={s}>{t(`consent.${s}` as Key)}</option>)}</Choice>;
    case 'boolean':
      return <Choice id={valueId} label={label} error={error} value={node.value} onChange={pick}><option value="true">{t('segments.yes')}</option><option value="false">{t('segments.no')}</option></Choice>;
    case 'segment':
      return <Choice id={valueId} label={t('segments.segment')} error={error} value={node.value} onChange={pick}>{ctx.segments.map((s) => <option value={s.uuid}>{s.name}</option>)}</Choice>;
    case 'campaign':
      return <Choice id={valueId} label={t('segments.campaign')} error={error} value={node.value} onChange={pick}>{ctx.campaigns.map((c) => <option value={c.uuid}>{c.name}</option>)}</Choice>;
    case 'instant':
    case 'date':
      return <Field id={valueId} label={t('segments.date')} error={error}>{input('date')}</Field>;
    case 'number':
      return <Field id={valueId} label={label} error={error}>{input('number', { step: 'any' })}</Field>;
    default: {
      const options = ctx.customFields.find((f) => `custom_fields.${f.key}` === node.field && f.type === 'dropdown')?.options;
      if (options && (node.op === 'eq' || node.op === 'neq')) {
        return <Choice id={valueId} label={label} error={error} value={node.value} onChange={pick}>{options.map((o) => <option value={o}>{o}</option>)}</Choice>;
      }
      return <Field id={valueId} label={kind === 'tags' ? t('segments.tag') : label} error={error}>{input(node.field === 'email' ? 'email' : 'text', { autocomplete: 'off' })}</Field>;
    }
  }
}

function EventValue({ node, set, errors, id }: { node: CondNode; set: (p: Partial<CondNode>) => void; errors: Record<string, string>; id: string }) {
  const e = node.event;
  const change = (key: keyof CondNode['event']) => (ev: Event) => set({ event: { ...e, [key]: (ev.currentTarget as HTMLInputElement).value } });
  return (
    <div class="event-value">
      <Field id={`${id}-event`} label={t('segments.eventName')} error={errors.field}>
        <input id={`${id}-event`} value={e.name} onInput={change('name')} placeholder="cart_abandoned" autocomplete="off" />
      </Field>
      <Field id={`${id}-atleast`} label={t('segments.atLeast')} error={errors['value.at_least'] ?? errors.value}>
        <input id={`${id}-atleast`} type="number" min={1} step={1} value={e.atLeast} onInput={change('atLeast')} placeholder="1" />
      </Field>
      <Field id={`${id}-within`} label={t('segments.withinDays')} error={errors['value.within_days']}>
        <input id={`${id}-within`} type="number" min={1} step={1} value={e.withinDays} onInput={change('withinDays')} />
      </Field>
      <Field id={`${id}-property`} label={t('segments.property')} error={errors['value.property']}>
        <input id={`${id}-property`} value={e.property} onInput={change('property')} placeholder="order.status" autocomplete="off" />
      </Field>
      <Field id={`${id}-equals`} label={t('segments.equals')} error={errors['value.equals']}>
        <input id={`${id}-equals`} value={e.equals} onInput={change('equals')} autocomplete="off" />
      </Field>
    </div>
  );
}
