import type { Deps } from '../deps.ts';
import type { ChannelsTable } from '../db/types.ts';
import { findChannel, listChannels } from '../channels/queries.ts';
import { providerChannel } from '../channels/secrets.ts';
import { AppError } from '../errors.ts';
import { PROVIDER_MODULES } from '../providers/index.ts';
import type { TemplateSource } from '../providers/module.ts';
import { providerNet } from '../providers/net.ts';
import { upsertProviderTemplate, type TemplateView } from './service.ts';

/** A template the sync could not take, and why. */
export interface SkippedTemplate {
  channel_uuid: string;
  name: string;
  language: string;
  reason: string;
}

/** What a sync did. */
export interface SyncOutcome {
  templates: TemplateView[];
  created: number;
  updated: number;
  skipped: SkippedTemplate[];
}

/** The providers whose channels hold templates to sync, by provider name. */
function templateSources(): Map<string, TemplateSource> {
  return new Map(PROVIDER_MODULES.flatMap((m) => (m.templates ? [[m.name, m.templates] as const] : [])));
}

async function syncChannel(deps: Pick<Deps, 'writer' | 'secrets' | 'config'>, source: TemplateSource, workspaceId: string, row: ChannelsTable, outcome: SyncOutcome): Promise<void> {
  const templates = await source.fetch(providerNet(deps.config), row.id, () => providerChannel(deps.secrets, row).config);
  await deps.writer.run(async (trx) => {
    for (const template of templates) {
      if ('unsupported' in template) {
        outcome.skipped.push({ channel_uuid: row.id, name: template.name, language: template.language, reason: template.unsupported });
        continue;
      }
      try {
        const { template: view, created } = await upsertProviderTemplate(trx, workspaceId, { id: row.id, type: row.type }, template.input);
        outcome.templates.push(view);
        if (created) outcome.created++;
        else outcome.updated++;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        const reason = err.errors?.map((e) => `${e.path.replace(/^template\./, '')} ${e.message}`).join('; ') ?? err.message;
        outcome.skipped.push({ channel_uuid: row.id, name: template.input.name, language: template.input.language, reason });
      }
    }
  });
}

/**
 * POST /v1/templates/sync: reads the templates (and their review status) of one channel whose provider has a template
 * source (providers/module.ts: WhatsApp Cloud), or of every such channel of the workspace, and creates or updates
 * Beckon's copies. Templates with parts Beckon cannot send are skipped with the reason.
 */
export async function syncTemplates(deps: Pick<Deps, 'db' | 'writer' | 'secrets' | 'config'>, workspaceId: string, channelUuid?: string): Promise<SyncOutcome> {
  const sources = templateSources();
  const labels = [...sources.values()].map((s) => s.label).join(' or ');
  let channels: ChannelsTable[];
  if (channelUuid) {
    const row = await findChannel(deps.db, workspaceId, channelUuid);
    if (!row) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
    if (!sources.has(row.provider)) throw new AppError(422, 'channel_unavailable', `channel ${row.id} uses the ${row.provider} provider: only ${labels} channels have templates to sync`, [{ path: 'body.channel_uuid', message: `is not a ${[...sources.keys()].join(' or ')} channel` }]);
    channels = [row];
  } else {
    channels = (await listChannels(deps.db, workspaceId)).filter((c) => sources.has(c.provider));
    if (channels.length === 0) throw new AppError(422, 'channel_unavailable', `this workspace has no ${labels} channel to sync templates from: create one with POST /v1/channels`);
  }
  const outcome: SyncOutcome = { templates: [], created: 0, updated: 0, skipped: [] };
  for (const row of channels) await syncChannel(deps, sources.get(row.provider)!, workspaceId, row, outcome);
  return outcome;
}
