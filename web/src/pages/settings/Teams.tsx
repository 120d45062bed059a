// Settings › Teams: create a team, rename it, switch its round-robin auto-assignment, add and remove members, delete
// it. Agents see the teams and their members (the API lets only admins change them).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, me, safely, useApiForm } from '../../api.ts';
import { t } from '../../i18n.ts';
import { useSignal } from '../../state.ts';
import { ErrorLine, Field } from '../../ui.tsx';
import { allUsers } from './Users.tsx';
import type { Schema } from '../../../../sdk/src/index.ts';

type Team = Schema<'Team'>;
type User = Schema<'User'>;

/** The teams settings tab. */
export function TeamsSettings() {
  const admin = useSignal(me)?.role === 'admin';
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    const [list, people] = await Promise.all([safely(() => api.GET('/v1/teams', { params: { query: { limit: 100 } } })), allUsers()]);
    setError(list.error ? fieldErrors(list.error).message : (people.error ?? null));
    if (list.data) setTeams(list.data.teams);
    if (people.users) setUsers(people.users);
  };
  useEffect(() => { void load(); }, []);

  return (
    <div class="settings-teams">
      {admin ? <CreateTeam onCreated={load} /> : <p class="hint">{t('teams.adminsOnly')}</p>}
      <ErrorLine message={error} />
      {teams && teams.length === 0 && <p class="empty">{t('teams.empty')}</p>}
      <div class="cards">
        {teams?.map((team) => <TeamCard key={team.uuid} team={team} users={users} admin={admin} onChanged={load} />)}
      </div>
    </div>
  );
}

function CreateTeam({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [auto, setAuto] = useState(false);
  const { busy, errors, message, run } = useApiForm();
  const submit = async (event: Event) => {
    event.preventDefault();
    const { data } = await run(() => api.POST('/v1/teams', { body: { name, auto_assign: auto } }));
    if (!data) return;
    setName('');
    setAuto(false);
    await onCreated();
  };
  return (
    <form class="card inline-form" onSubmit={submit} noValidate>
      <h2>{t('teams.create')}</h2>
      <div class="form-row">
        <Field id="team-name" label={t('teams.name')} error={errors.name}>
          <input id="team-name" value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <button type="submit" class="primary" disabled={busy}>{t('teams.submit')}</button>
      </div>
      <label class="check"><input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} /> {t('teams.autoAssign')}</label>
      <ErrorLine message={message} />
    </form>
  );
}

/** One team: its name (renamed in place), auto-assignment, members; admins change them. */
function TeamCard({ team, users, admin, onChanged }: { team: Team; users: User[]; admin: boolean; onChanged: () => Promise<void> }) {
  const [name, setName] = useState(team.name);
  const [pick, setPick] = useState('');
  const [deleting, setDeleting] = useState(false);
  const form = useApiForm();
  const path = { params: { path: { uuid: team.uuid } } };
  const change = async (call: () => Promise<{ data?: unknown; error?: Parameters<typeof fieldErrors>[0] }>) => {
    const { error } = await form.run(call);
    if (!error) await onChanged();
  };
  const members = team.member_uuids.map((uuid) => users.find((u) => u.uuid === uuid)).filter((u): u is User => !!u);
  const others = users.filter((u) => !team.member_uuids.includes(u.uuid));
  const id = `team-${team.uuid}`;

  return (
    <section class="card team" aria-labelledby={`${id}-title`} data-team={team.name}>
      <h2 id={`${id}-title`}>{team.name}</h2>
      {!admin && team.auto_assign && <p class="hint">{t('teams.autoOn')}</p>}
      {admin && (
        <>
          <form class="form-row" onSubmit={(e) => { e.preventDefault(); void change(() => api.PATCH('/v1/teams/{uuid}', { ...path, body: { name } })); }} noValidate>
            <Field id={`${id}-name`} label={t('teams.rename')} error={form.errors.name}>
              <input id={`${id}-name`} value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
            </Field>
            <button type="submit" disabled={form.busy || name === team.name}>{t('teams.save')}</button>
          </form>
          <label class="check">
            <input type="checkbox" checked={team.auto_assign} onChange={(e) => void change(() => api.PATCH('/v1/teams/{uuid}', { ...path, body: { auto_assign: e.currentTarget.checked } }))} /> {t('teams.autoAssign')}
          </label>
        </>
      )}
      <h3>{t('teams.members')}</h3>
      {members.length === 0 ? <p class="empty">{t('teams.noMembers')}</p> : (
        <ul class="members">
          {members.map((u) => (
            <li>
              <span>{u.name}</span>
              {admin && <button type="button" aria-label={t('teams.removeMember', { name: u.name, team: team.name })}
                onClick={() => void change(() => api.DELETE('/v1/teams/{uuid}/members/{user_uuid}', { params: { path: { uuid: team.uuid, user_uuid: u.uuid } } }))}>×</button>}
            </li>
          ))}
        </ul>
      )}
      {admin && others.length > 0 && (
        <form class="form-row" key={team.member_uuids.join()} onSubmit={(e) => {
          e.preventDefault();
          // cleared first: a select whose value names no option shows blank, and Preact sees '' as unchanged
          const user = pick;
          setPick('');
          if (user) void change(() => api.POST('/v1/teams/{uuid}/members', { ...path, body: { user_uuid: user } }));
        }}>
          <Field id={`${id}-add`} label={t('teams.addMember')} error={form.errors.user_uuid}>
            <select id={`${id}-add`} value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
              <option value="">{t('teams.pick')}</option>
              {others.map((u) => <option key={u.uuid} value={u.uuid}>{u.name}</option>)}
            </select>
          </Field>
          <button type="submit" disabled={form.busy || !pick}>{t('teams.add')}</button>
        </form>
      )}
      <ErrorLine message={form.message} />
      {admin && (deleting
        ? <div class="row-actions">
          <button type="button" class="danger" onClick={() => void change(() => api.DELETE('/v1/teams/{uuid}', path))}>{t('teams.confirmDelete', { name: team.name })}</button>
          <button type="button" onClick={() => setDeleting(false)}>{t('users.cancel')}</button>
        </div>
        : <div class="row-actions"><button type="button" onClick={() => setDeleting(true)}>{t('teams.delete')}</button></div>)}
    </section>
  );
}
