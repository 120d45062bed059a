import type { ChannelType } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { TemplatesTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { OutboundTemplate } from '../providers/types.ts';
import { checkTemplate, templateVariables, type TemplateButton, type TemplateFields, type TemplateHeader } from './model.ts';
import { outboundTemplate, type SendPaths } from './send.ts';
import type { ParameterFormat } from './variables.ts';
import * as q from './queries.ts';

/** A template as the API shows it, with Callbell's fields (title, text, templateType, createdAt) alongside. */
export interface TemplateView {
  uuid: string;
  name: string;
  language: string;
  category: string;
  channel_type: string;
  channel_uuid: string | null;
  parameter_format: ParameterFormat;
  variables: string[];
  header: TemplateHeader | null;
  body: string;
  footer: string | null;
  buttons: TemplateButton[];
  status: string;
  status_reason: string | null;
  provider_template_id: string | null;
  created_at: string;
  updated_at: string;
  title: string;
  text: string;
  templateType: string;
  createdAt: string;
}

/** What creates a template (POST /v1/templates). */
export type TemplateInput = Pick<TemplateFields, 'name' | 'language' | 'category' | 'channel_type' | 'body'> & {
  channel_uuid?: string | null;
  header?: TemplateHeader | null;
  footer?: string | null;
  buttons?: TemplateButton[];
  status?: TemplateFields['status'];
  status_reason?: string | null;
  provider_template_id?: string | null;
};

/** What a PATCH changes (null clears a nullable field). */
export type TemplatePatch = Partial<TemplateInput>;

function fieldsOf(row: TemplatesTable): TemplateFields {
  return {
    name: row.name, language: row.language, category: row.category as TemplateFields['category'], channel_type: row.channel_type, body: row.body,
    header: parseJson<TemplateHeader | null>(row.header, null), footer: row.footer, buttons: parseJson<TemplateButton[]>(row.buttons, []),
    status: row.status as TemplateFields['status'], status_reason: row.status_reason, provider_template_id: row.provider_template_id,
  };
}

/** Maps a template row to its API view. */
export function templateView(row: TemplatesTable): TemplateView {
  const fields = fieldsOf(row);
  const format = row.parameter_format as ParameterFormat;
  return {
    uuid: row.id, name: row.name, language: row.language, category: row.category, channel_type: row.channel_type, channel_uuid: row.channel_id,
    parameter_format: format, variables: templateVariables(fields, format).map((v) => v.label), header: fields.header, body: row.body,
    footer: row.footer, buttons: fields.buttons, status: row.status, status_reason: row.status_reason, provider_template_id: row.provider_template_id,
    created_at: row.created_at, updated_at: row.updated_at,
    title: row.name, text: row.body, templateType: fields.header && fields.header.format !== 'TEXT' ? fields.header.format.toLowerCase() : 'text', createdAt: row.created_at,
  };
}

async function mustFind(db: Db, workspaceId: string, id: string, path?: string): Promise<TemplatesTable> {
  const row = await q.findTemplate(db, workspaceId, id);
  if (row) return row;
  if (path) throw new AppError(404, 'not_found', 'template not found', [{ path, message: 'no such template in this workspace' }]);
  throw notFound('template');
}

async function checkChannel(db: Db, workspaceId: string, channelId: string | null, channelType: string): Promise<void> {
  if (channelId === null) return;
  const channel = await findChannel(db, workspaceId, channelId);
  if (!channel) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
  if (channel.type !== channelType) throw invalidField('body.channel_uuid', `is a ${channel.type} channel but channel_type is "${channelType}"`);
}

async function checkUnique(db: Db, workspaceId: string, fields: TemplateFields, channelId: string | null, self?: string): Promise<void> {
  const existing = await q.findTemplateByName(db, workspaceId, { channelType: fields.channel_type, channelId, name: fields.name, language: fields.language });
  if (existing && existing.id !== self) {
    throw new AppError(409, 'conflict', `a ${fields.channel_type} template named "${fields.name}" in ${fields.language} already exists`, undefined, { existing_uuid: existing.id });
  }
}

function merge(base: TemplateFields, input: TemplatePatch): TemplateFields {
  const pick = <K extends keyof TemplateFields>(key: K, fallback: TemplateFields[K]) => (input[key] === undefined ? fallback : input[key] as TemplateFields[K]);
  return {
    name: pick('name', base.name), language: pick('language', base.language), category: pick('category', base.category), channel_type: pick('channel_type', base.channel_type),
    body: pick('body', base.body), header: pick('header', base.header), footer: pick('footer', base.footer), buttons: pick('buttons', base.buttons),
    status: pick('status', base.status), status_reason: pick('status_reason', base.status_reason), provider_template_id: pick('provider_template_id', base.provider_template_id),
  };
}

const EMPTY: Omit<TemplateFields, 'name' | 'language' | 'category' | 'channel_type' | 'body'> = {
  header: null, footer: null, buttons: [], status: 'approved', status_reason: null, provider_template_id: null,
};

function required(input: Pick<TemplateFields, 'name' | 'language' | 'category' | 'channel_type' | 'body'>) {
  return { name: input.name, language: input.language, category: input.category, channel_type: input.channel_type, body: input.body };
}

function toRow(fields: TemplateFields, format: ParameterFormat): Omit<TemplatesTable, 'id' | 'workspace_id' | 'channel_id' | 'created_at' | 'updated_at'> {
  return {
    channel_type: fields.channel_type, name: fields.name, language: fields.language, category: fields.category, parameter_format: format,
    header: fields.header ? toJson(fields.header) : null, body: fields.body, footer: fields.footer, buttons: toJson(fields.buttons),
    status: fields.status, status_reason: fields.status_reason, provider_template_id: fields.provider_template_id,
  };
}

/** Creates a template (status approved unless given); 400 for invalid parts, 409 when the name and language are taken for that channel type. */
export async function createTemplate(db: Db, workspaceId: string, input: TemplateInput): Promise<TemplateView> {
  const { fields, format } = checkTemplate(merge({ ...EMPTY, ...required(input) }, input));
  const channelId = input.channel_uuid ?? null;
  await checkChannel(db, workspaceId, channelId, fields.channel_type);
  await checkUnique(db, workspaceId, fields, channelId);
  const now = nowIso();
  const row: TemplatesTable = { id: newId(), workspace_id: workspaceId, channel_id: channelId, ...toRow(fields, format), created_at: now, updated_at: now };
  await q.insertTemplate(db, row);
  return templateView(row);
}

/** A page of the workspace's templates, newest first. */
export async function listTemplates(db: Db, workspaceId: string, filters: q.TemplateFilters, limit: number, rawCursor?: string): Promise<{ templates: TemplateView[]; next_cursor: string | null }> {
  const rows = await q.listTemplates(db, workspaceId, filters, limit, decodeCursor(rawCursor));
  const page = pageOf(rows, limit, (row) => row.created_at);
  return { templates: page.items.map(templateView), next_cursor: page.next_cursor };
}

/** One template of the workspace, or 404. */
export async function getTemplate(db: Db, workspaceId: string, id: string): Promise<TemplateView> {
  return templateView(await mustFind(db, workspaceId, id));
}

/** Changes a template: the patch is merged and the result checked as a whole, as at creation. */
export async function updateTemplate(db: Db, workspaceId: string, id: string, patch: TemplatePatch): Promise<TemplateView> {
  const row = await mustFind(db, workspaceId, id);
  const { fields, format } = checkTemplate(merge(fieldsOf(row), patch));
  const channelId = patch.channel_uuid === undefined ? row.channel_id : patch.channel_uuid;
  await checkChannel(db, workspaceId, channelId, fields.channel_type);
  await checkUnique(db, workspaceId, fields, channelId, id);
  const changes = { ...toRow(fields, format), channel_id: channelId, updated_at: nowIso() };
  await q.updateTemplate(db, workspaceId, id, changes);
  return templateView({ ...row, ...changes });
}

/** Deletes a template; messages already sent with it keep its uuid. 404 when absent. */
export async function deleteTemplate(db: Db, workspaceId: string, id: string): Promise<void> {
  if ((await q.deleteTemplate(db, workspaceId, id)) === 0) throw notFound('template');
}

/** How resolveTemplateSend reports errors and what it checks besides the values. */
export interface TemplateSendOptions {
  /** Error paths; defaults body.template_uuid, body.template_values, body.content.url. */
  paths?: Partial<SendPaths>;
  /** The channel the message goes out on: the template must be of its type, and of that channel when it belongs to one. */
  channel?: { id: string; type: string };
  /** Callbell's one-variable form: content.text fills the template's only variable when no values are given. */
  text?: string;
  /** The link of a media header for this send (Callbell: content.url); default: the template's header.media_url. */
  mediaUrl?: string;
}

/**
 * What the send path calls for `template_uuid` + `template_values`: finds the template (404 naming the uuid path),
 * refuses one that is not approved (422 `template_not_approved`), matches the values to its variables (400 naming each
 * missing or extra value under the values path; `values` is an array in the order of the template's `variables`, or
 * an object keyed by them) and returns what the adapter sends: name, language, category, values, rendered body and,
 * for WhatsApp, each part's parameters. The 5th argument is the values path, or options.
 */
export async function resolveTemplateSend(db: Db, workspaceId: string, templateUuid: string, values: string[] | Record<string, string>, path: string | TemplateSendOptions = {}): Promise<OutboundTemplate> {
  return (await templateSender(db, workspaceId, templateUuid, path))(values);
}

/**
 * resolveTemplateSend in two steps, for many sends of one template (a campaign batch): finds and checks the template
 * once (404, 422 template_not_approved, channel fit), then the returned function matches each send's values (400s).
 */
export async function templateSender(db: Db, workspaceId: string, templateUuid: string, path: string | TemplateSendOptions = {}): Promise<(values: string[] | Record<string, string>) => OutboundTemplate> {
  const options = typeof path === 'string' ? { paths: { values: path } } : path;
  const paths: SendPaths = { uuid: 'body.template_uuid', values: 'body.template_values', mediaUrl: 'body.content.url', ...options.paths };
  const row = await mustFind(db, workspaceId, templateUuid, paths.uuid);
  if (row.status !== 'approved') {
    throw new AppError(422, 'template_not_approved', `the template "${row.name}" (${row.language}) is ${row.status}${row.status_reason ? `: ${row.status_reason}` : ''}; only approved templates can be sent (check it with the provider, then POST /v1/templates/sync or PATCH its status)`,
      [{ path: paths.uuid, message: `is ${row.status}, not approved` }], { template_status: row.status });
  }
  if (options.channel) {
    if (row.channel_type !== options.channel.type) throw invalidField(paths.uuid, `is a ${row.channel_type} template: it cannot be sent on a ${options.channel.type} channel`);
    if (row.channel_id !== null && row.channel_id !== options.channel.id) throw invalidField(paths.uuid, `belongs to the channel ${row.channel_id}: send it from that channel (channel_uuid)`);
  }
  const fields = fieldsOf(row);
  return (values) => outboundTemplate(fields, row.parameter_format as ParameterFormat, values, paths, { text: options.text, mediaUrl: options.mediaUrl });
}

/** A provider's template as a sync reads it (WhatsApp's message_templates, mapped to Beckon's fields). */
export type ProviderTemplateInput = Pick<TemplateFields, 'name' | 'language' | 'category' | 'body' | 'status'> & Partial<Pick<TemplateFields, 'header' | 'footer' | 'buttons' | 'status_reason'>> & { provider_template_id: string };

/**
 * For POST /v1/templates/sync: creates or updates the template of this channel with the provider's name and language
 * (a template of the channel's type with no channel, made by hand, is adopted by the channel). Throws a 400 (paths
 * under `template.`) when the provider's template does not fit Beckon's rules; a sync can skip it and go on.
 */
export async function upsertProviderTemplate(db: Db, workspaceId: string, channel: { id: string; type: string }, input: ProviderTemplateInput): Promise<{ template: TemplateView; created: boolean }> {
  const { fields, format } = checkTemplate(merge({ ...EMPTY, ...required({ ...input, channel_type: channel.type as ChannelType }) }, input), 'template');
  const key = { channelType: channel.type as ChannelType, name: fields.name, language: fields.language };
  const existing = await q.findTemplateByName(db, workspaceId, { ...key, channelId: channel.id }) ?? await q.findTemplateByName(db, workspaceId, { ...key, channelId: null });
  const now = nowIso();
  if (existing) {
    const changes = { ...toRow(fields, format), channel_id: channel.id, updated_at: now };
    await q.updateTemplate(db, workspaceId, existing.id, changes);
    return { template: templateView({ ...existing, ...changes }), created: false };
  }
  const row: TemplatesTable = { id: newId(), workspace_id: workspaceId, channel_id: channel.id, ...toRow(fields, format), created_at: now, updated_at: now };
  await q.insertTemplate(db, row);
  return { template: templateView(row), created: true };
}

/** A template reference of a definition (automations): its uuid, or its name and language. */
export interface TemplateRef {
  uuid?: string;
  name?: string;
  language?: string;
}

/**
 * The uuid of the template `ref` names for a send on `channel`: the uuid as given, or the channel's own template with
 * that name and language, else the one of the channel's type that belongs to no channel; undefined when none is found.
 */
export async function templateUuidOf(db: Db, workspaceId: string, ref: TemplateRef, channel: { id: string; type: string }): Promise<string | undefined> {
  if (ref.uuid !== undefined) return ref.uuid.toLowerCase();
  const key = { channelType: channel.type as ChannelType, name: ref.name ?? '', language: ref.language ?? '' };
  const row = await q.findTemplateByName(db, workspaceId, { ...key, channelId: channel.id }) ?? await q.findTemplateByName(db, workspaceId, { ...key, channelId: null });
  return row?.id;
}
