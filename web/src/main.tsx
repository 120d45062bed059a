// The web app's entry: the shell (navigation, language, sign out) and the pages by path; the sign-in page when no
// session answers. Every page but the inbox and contacts is loaded only when opened, to keep the first screen small.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { api, loadMe, me } from './api.ts';
import { lang, LANGUAGES, setLang, t, type Lang } from './i18n.ts';
import { navigate, onLink, path } from './router.ts';
import { useSignal } from './state.ts';
import { SignIn } from './pages/SignIn.tsx';
import { AcceptLink } from './pages/AcceptLink.tsx';
import { Inbox } from './pages/Inbox.tsx';
import { Contacts } from './pages/Contacts.tsx';
import { ContactPage } from './pages/Contact.tsx';
import { lazyPage } from './lazy.tsx';
import './styles.css';

type AreaProps = { at: string };
const Overview = lazyPage(() => import('./pages/Overview.tsx').then((m) => m.Overview));
/** The areas loaded on first use, by the path prefix they answer. */
const AREAS: [string, ReturnType<typeof lazyPage<AreaProps>>][] = [
  ['/segments', lazyPage<AreaProps>(() => import('./pages/segments/index.tsx').then((m) => m.SegmentsArea))],
  ['/campaigns', lazyPage<AreaProps>(() => import('./pages/campaigns/index.tsx').then((m) => m.CampaignsArea))],
  ['/automations', lazyPage<AreaProps>(() => import('./pages/automations/index.tsx').then((m) => m.AutomationsArea))],
  ['/webhooks', lazyPage<AreaProps>(() => import('./pages/webhooks/index.tsx').then((m) => m.WebhooksArea))],
  ['/settings', lazyPage<AreaProps>(() => import('./pages/settings/index.tsx').then((m) => m.SettingsArea))],
];

function Nav() {
  const current = useSignal(path);
  const links: [string, Parameters<typeof t>[0]][] = [['/inbox', 'nav.inbox'], ['/overview', 'nav.overview'], ['/contacts', 'nav.contacts'],
    ['/segments', 'nav.segments'], ['/campaigns', 'nav.campaigns'], ['/automations', 'nav.automations'], ['/webhooks', 'nav.webhooks'], ['/settings', 'nav.settings']];
  return (
    <nav aria-label={t('nav.main')}>
      {links.map(([href, key]) => (
        <a href={href} onClick={onLink} aria-current={current.startsWith(href) ? 'page' : undefined}>{t(key)}</a>
      ))}
    </nav>
  );
}

function LanguagePicker() {
  const current = useSignal(lang);
  return (
    <label class="lang">
      <span class="visually-hidden">{t('language')}</span>
      <select value={current} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)} aria-label={t('language')}>
        {Object.entries(LANGUAGES).map(([code, name]) => <option value={code}>{name}</option>)}
      </select>
    </label>
  );
}

function Page({ at }: { at: string }) {
  if (at.startsWith('/overview')) return <Overview />;
  const area = AREAS.find(([prefix]) => at === prefix || at.startsWith(prefix + '/'));
  if (area) { const Area = area[1]; return <Area at={at} />; }
  const contact = /^\/contacts\/([^/]+)/.exec(at);
  if (contact) return <ContactPage uuid={contact[1]} />;
  if (at.startsWith('/contacts')) return <Contacts />;
  const conversation = /^\/inbox\/([^/]+)/.exec(at);
  return <Inbox selected={conversation?.[1] ?? null} />;
}

function App() {
  const user = useSignal(me);
  const at = useSignal(path);
  useSignal(lang);
  useEffect(() => { void loadMe(); }, []);
  useEffect(() => {
    if (user && (at === '/' || at === '/sign-in')) navigate('/inbox', true);
  }, [user, at]);
  if (user === undefined) return <p role="status" class="splash">{t('loading')}</p>;
  const link = /^\/(invite|reset-password)\/([^/]+)$/.exec(at);
  if (user === null || link) {
    return (
      <div class="signin-wrap">
        <div class="signin-lang"><LanguagePicker /></div>
        {link ? <AcceptLink kind={link[1] === 'invite' ? 'invite' : 'reset'} token={decodeURIComponent(link[2])} /> : <SignIn />}
      </div>
    );
  }
  const signOut = async () => {
    await api.POST('/v1/auth/logout').catch(() => undefined);
    me.set(null);
    navigate('/sign-in');
  };
  return (
    <>
      <a class="skip" href="#main">{t('skip')}</a>
      <header class="top">
        <strong class="brand">Beckon</strong>
        <Nav />
        <div class="who">
          <LanguagePicker />
          <span class="user">{user.name}</span>
          <button type="button" onClick={signOut}>{t('signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}><Page at={at} /></main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
