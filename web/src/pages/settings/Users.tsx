// Settings › Users: the workspace's people. Admins invite (the one-time link is shown to copy), change a role or an
// availability, hand over a reset-password link, and remove; agents see the list and set their own availability.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely, useApiForm } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { linkSentence, OneTimeLink } from './links.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

type User = Schema<'User'>;
const ROLES = ['agent', 'admin'] as const;
const AVAILABILITIES = ['available', 'away', 'offline'] as const;

/** Every user of the workspace (pages of 100 followed). */
export async function allUsers(): Promise<{ users?: User[]; error?: string | null }> {
  const users: User[] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await safely(() => api.GET('/v1/users', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    if (error) return { error: fieldErrors(error).message };
    users.push(...data!.users);
    cursor = data!.meta.next_cursor ?? undefined;
  } while (cursor);
  return { users };
}

/** The users settings tab. */
export function UsersSettings() {
  const self = useSignal(me);
  const admin = self?.role === 'admin';
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ sentence: string; url: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const load = async () => {
    const { users: list, error: problem } = await allUsers();
    setError(problem ?? null);
    if (list) setUsers(list);
  };
  useEffect(() => { void load(); }, []);

  const act = async (call: () => Promise<{ data?: unknown; error?: Parameters<typeof fieldErrors>[0] }>) => {
    const { error: problem } = await safely(call);
    setError(problem ? fieldErrors(problem).message : null);
    await load();
    return !problem;
  };
  const patch = (user: User, body: { role?: User['role']; availability?: User['availability'] }) => act(() => user.uuid === self?.uuid && !admin
    ? api.PATCH('/v1/users/me/status', { body: { availability: body.availability } })
    : api.PATCH('/v1/users/{uuid}', { params: { path: { uuid: user.uuid } }, body }));
  const reset = async (user: User) => {
    const { data, error: problem } = await safely(() => api.POST('/v1/users/{uuid}/reset-link', { params: { path: { uuid: user.uuid } } }));
    setError(problem ? fieldErrors(problem).message : null);
    if (data) setLink({ sentence: linkSentence('reset', user.name, data.reset_link.expires_at), url: data.reset_link.url });
  };

  return (
    <div class="settings-users">
      {admin ? <InviteForm onInvited={(sentence, url) => { setLink({ sentence, url }); void load(); }} /> : <p class="hint">{t('users.adminsOnly')}</p>}
      {link && <OneTimeLink sentence={link.sentence} url={link.url} />}
      <ErrorLine message={error} />
      {users && users.length === 0 && <p class="empty">{t('users.empty')}</p>}
      {users && users.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th>{t('users.name')}</th><th>{t('users.email')}</th><th>{t('users.role')}</th><th>{t('users.availability')}</th><th>{t('users.status')}</th>{admin && <th>{t('users.actions')}</th>}</tr></thead>
            <tbody>
              {users.map((user) => {
                const mine = user.uuid === self?.uuid;
                return (
                  <tr data-user={user.email}>
                    <td>{user.name} {mine && <span class="hint">{t('users.you')}</span>}</td>
                    <td>{user.email}</td>
                    <td>{admin && !mine
                      ? <select aria-label={t('users.roleOf', { name: user.name })} value={user.role} onChange={(e) => void patch(user, { role: e.currentTarget.value as User['role'] })}>
                        {ROLES.map((r) => <option value={r}>{t(`users.role.${r}` as Key)}</option>)}</select>
                      : t(`users.role.${user.role}` as Key)}</td>
                    <td>{admin || mine
                      ? <select aria-label={mine ? t('users.myAvailability') : t('users.availabilityOf', { name: user.name })} value={user.availability}
                        onChange={(e) => void patch(user, { availability: e.currentTarget.value as User['availability'] })}>
                        {AVAILABILITIES.map((a) => <option value={a}>{t(`users.availability.${a}` as Key)}</option>)}</select>
                      : t(`users.availability.${user.availability}` as Key)}</td>
                    <td>{user.has_password ? t('users.active') : t('users.invited')}</td>
                    {admin && (
                      <td class="row-actions">
                        <button type="button" onClick={() => void reset(user)}>{t('users.reset')}</button>
                        {!mine && (removing === user.uuid
                          ? <>
                            <button type="button" class="danger" onClick={async () => { setRemoving(null); await act(() => api.DELETE('/v1/users/{uuid}', { params: { path: { uuid: user.uuid } } })); }}>{t('users.confirmRemove', { name: user.name })}</button>
                            <button type="button" onClick={() => setRemoving(null)}>{t('users.cancel')}</button>
                          </>
                          : <button type="button" onClick={() => setRemoving(user.uuid)}>{t('users.remove')}</button>)}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The invitation form: name, email, role; the answer's one-time link goes to `onInvited`. */
function InviteForm({ onInvited }: { onInvited: (sentence: string, url: string) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<User['role']>('agent');
  const { busy, errors, message, run } = useApiForm();
  const submit = async (event: Event) => {
    event.preventDefault();
    const { data } = await run(() => api.POST('/v1/users', { body: { name, email, role } }));
    if (!data) return;
    onInvited(linkSentence('invite', data.user.name, data.invitation.expires_at), data.invitation.url);
    setName('');
    setEmail('');
  };
  return (
    <form class="card inline-form" onSubmit={submit} noValidate>
      <h2>{t('users.invite')}</h2>
      <div class="form-row">
        <Field id="invite-name" label={t('users.name')} error={errors.name}>
          <input id="invite-name" value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="invite-email" label={t('users.email')} error={errors.email}>
          <input id="invite-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="invite-role" label={t('users.role')} error={errors.role}>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as User['role'])}>
            {ROLES.map((r) => <option value={r}>{t(`users.role.${r}` as Key)}</option>)}
          </select>
        </Field>
        <button type="submit" class="primary" disabled={busy}>{t('users.send')}</button>
      </div>
      <ErrorLine message={message} />
    </form>
  );
}
