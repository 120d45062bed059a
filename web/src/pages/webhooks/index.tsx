// The webhooks area: its pages by path (`at` is the whole path): /webhooks (the endpoints), /webhooks/new,
// /webhooks/<uuid> (an endpoint with its delivery log) and /webhooks/<uuid>/edit.
import { EndpointList } from './List.tsx';
import { EndpointForm } from './Form.tsx';
import { EndpointPage } from './Endpoint.tsx';
import './webhooks.css';

/** The webhooks area's page for path `at`. */
export function WebhooksArea({ at }: { at: string }) {
  const [, , id, action] = at.split('/');
  if (id === 'new') return <EndpointForm />;
  if (id && action === 'edit') return <EndpointForm uuid={id} />;
  if (id) return <EndpointPage uuid={id} />;
  return <EndpointList />;
}
