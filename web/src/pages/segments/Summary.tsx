// A segment's rules as readable text: nested lists of "field operator value", groups saying all / any (or NOT).
import { t, type Key } from '../../i18n.ts';
import type { BuilderContext } from './RuleBuilder.tsx';
import { fieldLabel, opLabel } from './RuleBuilder.tsx';
import { kindOf } from './model.ts';

type Choices = Pick<BuilderContext, 'customFields' | 'segments' | 'campaigns'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A condition's value as text: names for segments and campaigns, consent statuses translated, lists joined. */
function valueText(field: string, value: unknown, choices: Choices): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => valueText(field, v, choices)).join(', ');
  if (field.startsWith('event.') && isObject(value)) {
    const parts: string[] = [];
    if (value.at_least !== undefined) parts.push(`${t('segments.atLeast')}: ${String(value.at_least)}`);
    if (value.within_days !== undefined) parts.push(`${t('segments.withinDays')}: ${String(value.within_days)}`);
    if (value.property !== undefined) parts.push(`${String(value.property)} = ${JSON.stringify(value.equals)}`);
    return parts.join(' · ');
  }
  if (field === 'segment') return choices.segments.find((s) => s.uuid === value)?.name ?? String(value);
  if (field.startsWith('campaign.')) return choices.campaigns.find((c) => c.uuid === value)?.name ?? String(value);
  if (field.startsWith('consent.')) return t(`consent.${String(value)}` as Key);
  if (typeof value === 'boolean') return t(value ? 'segments.yes' : 'segments.no');
  return String(value);
}

/** One node of a rule tree, as a list item. */
function Node({ node, choices, root = false }: { node: unknown; choices: Choices; root?: boolean }) {
  if (!isObject(node)) return <li>{JSON.stringify(node)}</li>;
  if ('not' in node) return <li><strong class="not">{t('segments.not')}</strong><ul><Node node={node.not} choices={choices} /></ul></li>;
  const mode = Array.isArray(node.all) ? 'all' : Array.isArray(node.any) ? 'any' : null;
  if (mode) {
    const words = t(mode === 'all' ? 'segments.all' : 'segments.any');
    return (
      <li>
        <span class="group-mode">{root ? `${t('segments.matchRoot')} ${words}:` : `${words}:`}</span>
        <ul>{(node[mode] as unknown[]).map((child) => <Node node={child} choices={choices} />)}</ul>
      </li>
    );
  }
  const field = String(node.field);
  const kind = kindOf(field.startsWith('event.') ? 'event' : field, choices.customFields);
  return (
    <li class="rule">
      <strong>{fieldLabel(field, choices.customFields)}</strong> {opLabel(String(node.op), kind)} <span class="rule-value">{valueText(field, node.value, choices)}</span>
    </li>
  );
}

/** The rules of a dynamic segment, readable. */
export function RulesSummary({ rules, choices }: { rules: unknown; choices: Choices }) {
  return <ul class="rules-summary"><Node node={rules} choices={choices} root /></ul>;
}
