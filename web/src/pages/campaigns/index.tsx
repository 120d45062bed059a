// The campaigns area: its pages by path (`at` is the whole path): /campaigns (the list), /campaigns/new,
// /campaigns/<uuid> (statistics and controls) and /campaigns/<uuid>/edit.
import './campaigns.css';
import { CampaignPage } from './detail.tsx';
import { CampaignForm } from './form.tsx';
import { CampaignList } from './list.tsx';

/** The campaigns area's page for path `at`. */
export function CampaignsArea({ at }: { at: string }) {
  const [, , id, sub] = at.split('/');
  if (id === 'new') return <CampaignForm uuid={null} />;
  if (id && sub === 'edit') return <CampaignForm key={id} uuid={id} />;
  if (id) return <CampaignPage key={id} uuid={id} />;
  return <CampaignList />;
}
