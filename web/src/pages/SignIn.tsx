// Sign-in: email and password → the session cookie; the API's errors shown next to their field.
import { useState } from 'preact/hooks';
import { api, loadMe, useApiForm } from '../api.ts';
import { t } from '../i18n.ts';
import { Field } from '../ui.tsx';

/** The sign-in form. */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, message, run, show } = useApiForm();

  const submit = async (event: Event) => {
    event.preventDefault();
    const { error } = await run(() => api.POST('/v1/auth/login', { body: { email, password } }));
    if (!error) return loadMe();
    if (error.code === 'invalid_credentials') show({ password: t('signIn.invalid') });
  };

  return (
    <form class="card signin" onSubmit={submit} noValidate>
      <h1>{t('signIn.title')}</h1>
      <Field id="email" label={t('signIn.email')} error={errors.email}>
        <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <Field id="password" label={t('signIn.password')} error={errors.password}>
        <input id="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      {message && <p role="alert" class="error">{message}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('signIn.busy') : t('signIn.submit')}</button>
    </form>
  );
}
