import type { Deps } from '../deps.ts';
import type { TasksOf } from '../jobs/queue.ts';
import { CAMPAIGN_START_TASK, startScheduled } from './service.ts';
import { CAMPAIGN_SEND_TASK, runCampaignSend } from './sender.ts';

/** Every job task of the campaigns domain: start a scheduled campaign, send a campaign's next batch. */
export function campaignTasks(deps: Deps): TasksOf<typeof CAMPAIGN_START_TASK | typeof CAMPAIGN_SEND_TASK> {
  return {
    [CAMPAIGN_START_TASK]: async (payload) => {
      await startScheduled(deps, payload);
    },
    [CAMPAIGN_SEND_TASK]: async (payload) => {
      await runCampaignSend(deps, payload);
    },
  };
}
