// One endpoint: its settings and state, and (admins) edit, enable/disable, send a test event, rotate the signing
// secret (the new one shown once) and delete; below, its delivery log.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, safely } from '../../api.ts';
import { dateTime, t, type Key } from '../../i18n.ts';
import { navigate, onLink } from '../../router.ts';
import { ErrorLine } from '../../ui.tsx';
import { ConfirmButton, ShownOnce } from '../../widgets.tsx';
import { copyWords, EndpointBadge, EventChips, useCanManage, type Endpoint } from './common.tsx';
import { DeliveryLog } from './Deliveries.tsx';

/** The page of endpoint `uuid`. */
export function EndpointPage({ uuid }: { uuid: string }) {
  const canManage = useCanManage();
  const [endpoint, setEndpoint] = useState<Endpoint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<{ uuid: string; n: number } | null>(null);

  useEffect(() => {
    setEndpoint(null);
    setSecret(null);
    void safely(() => api.GET('/v1/webhooks/{uuid}', { params: { path: { uuid } } })).then(({ data, error: problem }) => {
      if (problem) return setError(fieldErrors(problem).message);
      setEndpoint(data!.webhook);
    });
  }, [uuid]);

  /** Runs an action, showing its problem (never a stack) or its notice. */
  const act = async <T,>(call: () => Promise<{ data?: T; error?: Parameters<typeof fieldErrors>[0] }>, then: (data: T) => void) => {
    setBusy(true);
    setNotice(null);
    const { data, error: problem } = await safely(call);
    setBusy(false);
    if (problem) return setError(fieldErrors(problem).message);
    setError(null);
    then(data!);
  };
  const sendTest = () => act(() => api.POST('/v1/webhooks/{uuid}/test', { params: { path: { uuid } } }), (data) => {
    const d = data.delivery;
    const code = d.last_status_code ?? d.attempts.at(-1)?.status_code;
    setNotice(d.status === 'succeeded' ? t('webhooks.test.ok', { code: code ?? '' }) : t('webhooks.test.failed', { reason: d.last_error ?? String(code ?? '') }));
    setFresh({ uuid: d.uuid, n: Date.now() });
  });
  const rotate = () => act(() => api.POST('/v1/webhooks/{uuid}/rotate_secret', { params: { path: { uuid } } }), (data) => {
    const { secret: value, ...rest } = data.webhook;
    setEndpoint(rest);
    setSecret(value);
  });
  const toggle = () => act(() => api.PATCH('/v1/webhooks/{uuid}', { params: { path: { uuid } }, body: { enabled: !endpoint!.enabled } }), (data) => setEndpoint(data.webhook));
  const remove = () => act(() => api.DELETE('/v1/webhooks/{uuid}', { params: { path: { uuid } } }), () => navigate('/webhooks'));

  if (!endpoint) return <section class="page webhooks"><a href="/webhooks" onClick={onLink}>{t('webhooks.back')}</a><ErrorLine message={error} />{!error && <p role="status">{t('loading')}</p>}</section>;
  return (
    <section class="page webhooks">
      <a href="/webhooks" onClick={onLink}>{t('webhooks.back')}</a>
      <div class="page-head">
        <h1 class="wh-title">{endpoint.url}</h1>
        <EndpointBadge endpoint={endpoint} />
      </div>
      <ErrorLine message={error} />
      {canManage && (
        <div class="actions wh-actions">
          <button type="button" class="primary" onClick={sendTest} disabled={busy}>{t('webhooks.test')}</button>
          <a class="button" href={`/webhooks/${uuid}/edit`} onClick={onLink}>{t('webhooks.edit')}</a>
          <button type="button" onClick={toggle} disabled={busy}>{endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}</button>
          <ConfirmButton label={t('webhooks.rotate')} question={t('webhooks.rotate.question')} confirm={t('webhooks.rotate.confirm')} cancel={t('webhooks.cancel')} action={rotate} busy={busy} />
          <ConfirmButton label={t('webhooks.delete')} question={t('webhooks.delete.question')} confirm={t('webhooks.delete.confirm')} cancel={t('webhooks.cancel')} action={remove} busy={busy} />
        </div>
      )}
      {notice && <p role="status" class="notice">{notice}</p>}
      {secret && <ShownOnce id="wh-secret" title={t('webhooks.newSecret')} warning={t('webhooks.rotatedOnce')} value={secret} words={copyWords()} onDone={() => setSecret(null)} />}
      <section class="card" aria-labelledby="wh-settings">
        <h2 id="wh-settings">{t('webhooks.settings')}</h2>
        <dl>
          <dt>{t('webhooks.description')}</dt><dd>{endpoint.description ?? '—'}</dd>
          <dt>{t('webhooks.events')}</dt><dd><EventChips events={endpoint.events} /></dd>
          <dt>{t('webhooks.format')}</dt><dd>{t(endpoint.format === 'callbell' ? 'webhooks.format.callbell' : 'webhooks.format.beckon')}</dd>
          <dt>{t('webhooks.origin')}</dt><dd>{['api', 'callbell_subscribe', 'zapier'].includes(endpoint.origin) ? t(`webhooks.origin.${endpoint.origin}` as Key) : endpoint.origin}</dd>
          <dt>{t('webhooks.created')}</dt><dd>{dateTime(endpoint.created_at)}</dd>
          {endpoint.failing_since && <><dt>{t('webhooks.failingSince')}</dt><dd>{dateTime(endpoint.failing_since)}</dd></>}
          {endpoint.disabled_reason && <><dt>{t('webhooks.disabledReason')}</dt><dd>{endpoint.disabled_reason}</dd></>}
          {endpoint.previous_secret_expires_at && <><dt>{t('webhooks.previousSecret')}</dt><dd>{t('webhooks.previousSecretUntil', { at: dateTime(endpoint.previous_secret_expires_at) })}</dd></>}
        </dl>
      </section>
      <DeliveryLog endpoint={uuid} canRetry={canManage} fresh={fresh} />
    </section>
  );
}
