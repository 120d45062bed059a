// The pages behind the one-time links Beckon prints or answers: /invite/<token> (an invitation, or the first admin's
// link, which also asks for an email and a name) and /reset-password/<token>. Both choose a password and sign in.
import { useState } from 'preact/hooks';
import { api, loadMe, useApiForm } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Field } from '../ui.tsx';
import type { Problem } from '../../../sdk/src/index.ts';

/** True when the problem names `path` among its field errors. */
const hasField = (problem: Problem, path: string) => ((problem as { errors?: { path: string }[] }).errors ?? []).some((e) => e.path === path);

/** The form of a one-time link: `kind` is the link's path (`invite` or `reset`), `token` its last part. */
export function AcceptLink({ kind, token }: { kind: 'invite' | 'reset'; token: string }) {
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  // the first admin's link needs an email and a name too: the API says so (400 naming body.email), then they show
  const [firstAdmin, setFirstAdmin] = useState(false);
  const { busy, errors, message, run, show } = useApiForm();

  const submit = async (event: Event) => {
    event.preventDefault();
    const { error } = kind === 'invite'
      ? await run(() => api.POST('/v1/auth/invitations/accept', { body: { token, password, ...(firstAdmin && { email, name }) } }))
      : await run(() => api.POST('/v1/auth/password-reset/confirm', { body: { token, password } }));
    if (!error) {
      if (kind === 'reset') return navigate('/sign-in', true);
      await loadMe();
      return navigate('/inbox', true);
    }
    if (kind === 'invite' && !firstAdmin && hasField(error, 'body.email')) {
      setFirstAdmin(true);
      show({});
    } else if (hasField(error, 'body.token')) {
      show({}, t('link.expired'));
    }
  };

  return (
    <form class="card signin" onSubmit={submit} noValidate>
      <h1>{t(kind === 'invite' ? (firstAdmin ? 'link.firstAdmin' : 'link.inviteTitle') : 'link.resetTitle')}</h1>
      {firstAdmin && (
        <>
          <Field id="email" label={t('signIn.email')} error={errors.email}>
            <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
          <Field id="name" label={t('link.name')} error={errors.name}>
            <input id="name" type="text" autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
        </>
      )}
      <Field id="password" label={t('link.password')} error={errors.password}>
        <input id="password" type="password" autoComplete="new-password" required minLength={10} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      {message && <p role="alert" class="error">{message}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('signIn.busy') : t('link.submit')}</button>
    </form>
  );
}
