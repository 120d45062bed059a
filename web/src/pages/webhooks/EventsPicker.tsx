// The events an endpoint receives: every event ("*"), or chosen types, every custom event ("custom.*") and custom
// events by name; the API's errors on `events` (or one of its items) show under the group.
import { EVENT_TYPES } from '../../../../sdk/src/index.ts';
import { t } from '../../i18n.ts';

/** The picker's state: all events, the chosen types, all custom events, and custom names (comma separated). */
export interface EventChoice { all: boolean; types: string[]; allCustom: boolean; custom: string }

/** The choice an endpoint's `events` list stands for. */
export function choiceOf(events: string[]): EventChoice {
  const custom = events.filter((e) => e.startsWith('custom.') && e !== 'custom.*').map((e) => e.slice('custom.'.length));
  return { all: events.includes('*'), types: events.filter((e) => (EVENT_TYPES as readonly string[]).includes(e)), allCustom: events.includes('custom.*'), custom: custom.join(', ') };
}

/** The `events` list the API takes for a choice. */
export function eventsOf(choice: EventChoice): string[] {
  if (choice.all) return ['*'];
  const names = choice.custom.split(',').map((n) => n.trim()).filter(Boolean).map((n) => (n.startsWith('custom.') ? n : `custom.${n}`));
  return [...choice.types, ...(choice.allCustom ? ['custom.*'] : []), ...names];
}

/** The events fieldset. */
export function EventsPicker({ value, onChange, error }: { value: EventChoice; onChange: (next: EventChoice) => void; error?: string }) {
  const toggle = (type: string, on: boolean) => onChange({ ...value, types: on ? [...value.types, type] : value.types.filter((x) => x !== type) });
  return (
    <fieldset class={error ? 'wh-events invalid' : 'wh-events'} aria-describedby={error ? 'wh-events-error' : undefined}>
      <legend>{t('webhooks.events')}</legend>
      <label class="check"><input type="checkbox" checked={value.all} onChange={(e) => onChange({ ...value, all: (e.currentTarget as HTMLInputElement).checked })} /> {t('webhooks.events.allLong')}</label>
      <div class="wh-types">
        {EVENT_TYPES.map((type) => (
          <label class="check"><input type="checkbox" disabled={value.all} checked={value.all || value.types.includes(type)} onChange={(e) => toggle(type, (e.currentTarget as HTMLInputElement).checked)} /> <code>{type}</code></label>
        ))}
      </div>
      <label class="check"><input type="checkbox" disabled={value.all} checked={value.all || value.allCustom} onChange={(e) => onChange({ ...value, allCustom: (e.currentTarget as HTMLInputElement).checked })} /> {t('webhooks.events.allCustomLong')}</label>
      <div class="field">
        <label for="wh-custom">{t('webhooks.events.custom')}</label>
        <input id="wh-custom" disabled={value.all} value={value.custom} placeholder="order_placed, cart_abandoned" onInput={(e) => onChange({ ...value, custom: (e.currentTarget as HTMLInputElement).value })} />
      </div>
      {error && <p class="field-error" id="wh-events-error" role="alert">{error}</p>}
    </fieldset>
  );
}
