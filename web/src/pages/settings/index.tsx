// The settings area: one tab per thing an admin sets up (channels, templates, API keys, users, teams, custom fields),
// each at /settings/<tab>. Agents see only what the API lets them read.
import type { ComponentType } from 'preact';
import { me } from '../../api.ts';
import { t, type Key } from '../../i18n.ts';
import { onLink } from '../../router.ts';
import { useSignal } from '../../state.ts';
import { ChannelsSettings } from './Channels.tsx';
import { TemplatesSettings } from './Templates.tsx';
import { KeysSettings } from './Keys.tsx';
import { UsersSettings } from './Users.tsx';
import { TeamsSettings } from './Teams.tsx';
import { FieldsSettings } from './Fields.tsx';

/** The tabs: path segment, label key, page, and whether only admins see it. */
const TABS: [string, Key, ComponentType, boolean][] = [
  ['channels', 'settings.tab.channels', ChannelsSettings, false],
  ['templates', 'settings.tab.templates', TemplatesSettings, false],
  ['keys', 'settings.tab.keys', KeysSettings, true],
  ['users', 'settings.tab.users', UsersSettings, false],
  ['teams', 'settings.tab.teams', TeamsSettings, false],
  ['fields', 'settings.tab.fields', FieldsSettings, false],
];

/** The settings area's page for path `at` (/settings → the first tab). */
export function SettingsArea({ at }: { at: string }) {
  const user = useSignal(me);
  const tabs = TABS.filter(([, , , adminOnly]) => !adminOnly || user?.role === 'admin');
  const name = at.split('/')[2] ?? tabs[0][0];
  const current = tabs.find(([segment]) => segment === name) ?? tabs[0];
  const Tab = current[2];
  return (
    <section class="settings">
      <h1>{t('settings.title')}</h1>
      <nav class="tabs" aria-label={t('settings.title')}>
        {tabs.map(([segment, label]) => (
          <a href={`/settings/${segment}`} onClick={onLink} aria-current={segment === current[0] ? 'page' : undefined}>{t(label)}</a>
        ))}
      </nav>
      <Tab />
    </section>
  );
}
