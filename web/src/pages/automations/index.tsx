// The automations area: its pages by path (`at` is the whole path): /automations (the list and the examples),
// /automations/new and /automations/<uuid>/edit (the JSON editor), /automations/<uuid>[/runs/<run uuid>] (the page).
import { AutomationDetail } from './Detail.tsx';
import { AutomationEditor } from './Editor.tsx';
import { AutomationList } from './List.tsx';
import './automations.css';

/** The automations area's page for path `at`. */
export function AutomationsArea({ at }: { at: string }) {
  const [, , uuid, sub, run] = at.split('/');
  if (!uuid) return <AutomationList />;
  if (uuid === 'new') return <AutomationEditor uuid={null} />;
  if (sub === 'edit') return <AutomationEditor uuid={uuid} />;
  return <AutomationDetail uuid={uuid} runUuid={sub === 'runs' && run ? run : null} />;
}
