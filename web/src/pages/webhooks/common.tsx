// What the webhooks pages share: who may change things, an endpoint's and a delivery's status badge, the copy words.
import { me } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import type { Schema } from '../../../../sdk/src/index.ts';

/** An endpoint as the API shows it. */
export type Endpoint = Schema<'WebhookEndpoint'>;
/** A delivery with its attempts. */
export type Delivery = Schema<'WebhookDelivery'>;

/** Whether the signed-in user may change endpoints (admins; the API refuses agents). */
export function useCanManage(): boolean {
  return useSignal(me)?.role === 'admin';
}

/** An endpoint's state: disabled, failing (enabled, attempts failing) or active. */
export function endpointState(e: Endpoint): 'active' | 'failing' | 'disabled' {
  return !e.enabled ? 'disabled' : e.failing_since ? 'failing' : 'active';
}

/** An endpoint's state as a translated badge. */
export function EndpointBadge({ endpoint }: { endpoint: Endpoint }) {
  const state = endpointState(endpoint);
  return <span class={`badge wh-${state}`} data-state={state}>{t(`webhooks.state.${state}` as Key)}</span>;
}

/** A delivery's status (pending, succeeded, failed) as a translated badge. */
export function DeliveryBadge({ status }: { status: Delivery['status'] }) {
  return <span class={`badge wh-${status}`} data-status={status}>{t(`webhooks.delivery.${status}` as Key)}</span>;
}

/** An endpoint's events as chips ("*" and "custom.*" in words). */
export function EventChips({ events }: { events: string[] }) {
  return <>{events.map((e) => <span class="chip">{e === '*' ? t('webhooks.events.all') : e === 'custom.*' ? t('webhooks.events.allCustom') : e}</span>)}</>;
}

/** The words of the copy buttons and secrets shown once. */
export const copyWords = () => ({ copy: t('webhooks.copy'), copied: t('webhooks.copied'), copyFailed: t('webhooks.copyFailed'), done: t('webhooks.secretDone') });
