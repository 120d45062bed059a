import type { Deps } from '../deps.ts';
import type { Task } from '../jobs/queue.ts';
import { CAMPAIGN_START_TASK, startScheduled, type CampaignStartPayload } from './service.ts';
import { CAMPAIGN_SEND_TASK, runCampaignSend, type CampaignSendPayload } from './sender.ts';

/** Every job task of the campaigns domain: start a scheduled campaign, send a campaign's next batch. */
export function campaignTasks(deps: Deps): Record<string, Task> {
  return {
    [CAMPAIGN_START_TASK]: async (payload: CampaignStartPayload) => {
      await startScheduled(deps, payload);
    },
    [CAMPAIGN_SEND_TASK]: async (payload: CampaignSendPayload) => {
      await runCampaignSend(deps, payload);
    },
  };
}
