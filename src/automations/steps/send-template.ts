import type { Db } from '../../db/connect.ts';
import type { ChannelsTable } from '../../db/types.ts';
import { AppError, type FieldError } from '../../errors.ts';
import type { LiquidScope } from '../../campaigns/liquid.ts';
import { hasLiquid } from '../../campaigns/liquid.ts';
import type { OutboundTemplate } from '../../providers/types.ts';
import { templateSender, templateUuidOf, type TemplateRef } from '../../templates/service.ts';
import { checkLiquid, render } from './liquid.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTINGS = ['uuid', 'name', 'language', 'values', 'media_url'];
/** The longest template value (WhatsApp's variables are short; the body itself is at most 1,024 characters). */
const MAX_VALUE_LENGTH = 1024;

/** A `template` (or `fallback_template`) setting of send_message: the template by uuid or name + language, its values (Liquid) and a media header's link. */
export interface TemplateSetting extends TemplateRef {
  values?: string[] | Record<string, string>;
  media_url?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks the shape of a template setting at `path` (the template itself is checked by checkTemplateRefs). */
export function checkTemplateSetting(value: unknown, path: string): FieldError[] {
  if (!isObject(value)) return [{ path, message: 'must be an object {uuid | name and language, values, media_url}' }];
  const out: FieldError[] = Object.keys(value).filter((k) => !SETTINGS.includes(k)).map((k) => ({ path: `${path}.${k}`, message: 'is not a setting of a template send' }));
  if (value.uuid !== undefined) {
    if (typeof value.uuid !== 'string' || !UUID.test(value.uuid)) out.push({ path: `${path}.uuid`, message: 'must be the uuid of a template' });
    if (value.name !== undefined || value.language !== undefined) out.push({ path: `${path}.name`, message: 'give the uuid, or the name and language, not both' });
  } else {
    if (typeof value.name !== 'string' || value.name.length === 0 || value.name.length > 512) out.push({ path: `${path}.name`, message: 'is required (with language) when no uuid is given' });
    if (typeof value.language !== 'string' || value.language.length === 0 || value.language.length > 20) out.push({ path: `${path}.language`, message: 'is required (with name) when no uuid is given' });
  }
  const values = value.values;
  if (Array.isArray(values)) {
    if (values.length > 100) out.push({ path: `${path}.values`, message: 'must hold at most 100 values' });
    else values.forEach((v, i) => out.push(...checkLiquid(v, `${path}.values.${i}`, true, MAX_VALUE_LENGTH)));
  } else if (isObject(values)) {
    if (Object.keys(values).length > 100) out.push({ path: `${path}.values`, message: 'must hold at most 100 values' });
    else for (const [key, v] of Object.entries(values)) out.push(...checkLiquid(v, `${path}.values.${key}`, true, MAX_VALUE_LENGTH));
  } else if (values !== undefined) out.push({ path: `${path}.values`, message: 'must be a list of values (in the order of the template\'s variables) or an object keyed by them' });
  out.push(...checkLiquid(value.media_url, `${path}.media_url`, false, 2048));
  return out;
}

function errorsOf(error: unknown): FieldError[] {
  if (error instanceof AppError) return error.errors ?? [{ path: '', message: error.message }];
  throw error;
}

/** Replaces each value by `fill` (the values' Liquid rendered, or a stand-in when the definition is saved). */
function mapValues(values: TemplateSetting['values'], fill: (value: string) => string): string[] | Record<string, string> {
  if (values === undefined) return [];
  if (Array.isArray(values)) return values.map(fill);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fill(v)]));
}

/**
 * Checks what a template setting names for a send on `channel`: the template exists (by uuid, or by name and language),
 * is approved, fits the channel, and its values match its variables (Liquid values are checked with a stand-in) —
 * each problem a field error under `path`.
 */
export async function checkTemplateRefs(db: Db, workspaceId: string, setting: TemplateSetting, channel: ChannelsTable, path: string): Promise<FieldError[]> {
  const uuidPath = setting.uuid === undefined ? `${path}.name` : `${path}.uuid`;
  const uuid = await templateUuidOf(db, workspaceId, setting, channel);
  if (uuid === undefined) return [{ path: uuidPath, message: `no ${channel.type} template "${setting.name}" in ${setting.language} in this workspace` }];
  const mediaUrl = setting.media_url === undefined ? undefined : hasLiquid(setting.media_url) ? 'https://example.com/sample' : setting.media_url;
  try {
    const sender = await templateSender(db, workspaceId, uuid, { channel, mediaUrl, paths: { uuid: uuidPath, values: `${path}.values`, mediaUrl: `${path}.media_url` } });
    sender(mapValues(setting.values, (v) => (hasLiquid(v) ? 'sample' : v)));
    return [];
  } catch (error) {
    return errorsOf(error);
  }
}

/**
 * A template send for a run: the template found again (it may have changed since the definition was saved), its values
 * rendered for the run. A template gone, no longer approved, or values the template refuses (an empty render) give
 * the reason the step is skipped.
 */
export async function resolveTemplate(trx: Db, channel: ChannelsTable, setting: TemplateSetting, scope: LiquidScope): Promise<{ uuid: string; values: string[] | Record<string, string>; template: OutboundTemplate } | { skipped: string }> {
  const uuid = await templateUuidOf(trx, channel.workspace_id, setting, channel);
  if (uuid === undefined) return { skipped: 'template_unavailable' };
  const values = mapValues(setting.values, (v) => render(v, scope).trim());
  const mediaUrl = setting.media_url === undefined ? undefined : render(setting.media_url, scope).trim();
  try {
    const sender = await templateSender(trx, channel.workspace_id, uuid, { channel, mediaUrl });
    return { uuid, values, template: sender(values) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'template_not_approved') return { skipped: 'template_not_approved' };
    if (error.status === 404) return { skipped: 'template_unavailable' };
    if (error.errors?.some((e) => e.path === 'body.content.url')) return { skipped: 'template_media_url_invalid' };
    return { skipped: 'template_values_invalid' };
  }
}
