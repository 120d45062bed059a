import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { ContactListSchema, ContactSchema } from '../contacts/schema.ts';
import { PageQuery } from '../system/schemas.ts';
import { CreateSegmentBody, PreviewBody, SegmentContactsBody, SegmentSchema, UpdateSegmentBody } from './schema.ts';
import {
  addSegmentContacts, countSegment, createSegment, deleteSegment, getSegment, listSegmentContacts, listSegments, previewRules, removeSegmentContacts, updateSegment,
} from './service.ts';
import { PageMeta, UuidParams } from '../system/schemas.ts';

const tags = ['segments'];
const One = Type.Object({ segment: SegmentSchema });
const List = Type.Object({ segments: Type.Array(SegmentSchema), meta: PageMeta });
const RULES_DOC = 'Rules: a group {"all": […]}, {"any": […]} or {"not": node}; a condition {"field", "op", "value"} (fields, ops and values in docs/segments.md). '
  + 'A bad node is a 400 naming its path, e.g. body.rules.all.2.op; a `segment` condition that leads back to the segment is refused.';

/** Routes for segments: static lists, dynamic rule trees, their members, counts and previews. */
export function segmentRoutes(app: App, deps: Deps): void {
  app.post('/v1/segments', {
    config: { scope: 'full' },
    schema: {
      operationId: 'createSegment',
      tags, body: CreateSegmentBody, response: { 201: One },
      summary: 'Create a segment',
      description: 'A static list (`"type": "static"`, no rules; add members with POST /v1/segments/:uuid/contacts) or a dynamic segment (`"type": "dynamic"` with `rules`). ' + RULES_DOC,
    },
  }, async (request, reply) => reply.code(201).send({ segment: await createSegment(deps.db, request.auth.workspaceId, request.body) }));

  app.get('/v1/segments', {
    config: { scope: 'read' },
    schema: { operationId: 'listSegments', tags, querystring: PageQuery, response: { 200: List }, summary: 'List segments, newest first', description: 'Pages of `limit` (1-100, default 20); pass meta.next_cursor as `cursor`.' },
  }, async (request) => listSegments(deps.db, request.auth.workspaceId, request.query));

  app.post('/v1/segments/preview', {
    config: { scope: 'read' },
    schema: {
      operationId: 'previewSegment',
      tags, body: PreviewBody, response: { 200: Type.Object({ count: Type.Integer(), sample: Type.Array(ContactSchema) }) },
      summary: 'Count the contacts matching rules, with a sample, without saving a segment',
      description: RULES_DOC + ' The sample holds the newest `sample_size` (default 10, at most 100) matching contacts. Needs only a read key: nothing is written.',
    },
  }, async (request) => previewRules(deps.db, request.auth.workspaceId, request.body.rules, request.body.sample_size ?? 10));

  app.get('/v1/segments/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getSegment', tags, params: UuidParams, response: { 200: One }, summary: 'Get a segment' },
  }, async (request) => ({ segment: await getSegment(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/segments/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateSegment',
      tags, params: UuidParams, body: UpdateSegmentBody, response: { 200: One },
      summary: 'Rename a segment or replace a dynamic segment\'s rules', description: 'The type never changes; a static list takes no rules. ' + RULES_DOC,
    },
  }, async (request) => ({ segment: await updateSegment(deps.db, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.delete('/v1/segments/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'deleteSegment',
      tags, params: UuidParams, response: { 200: Type.Object({ status: Type.Literal('segment was destroyed') }) },
      summary: 'Delete a segment', description: 'Contacts are not touched. A segment used by another segment\'s rules is a 409 `conflict` listing them in `referenced_by`.',
    },
  }, async (request) => {
    await deleteSegment(deps.db, request.auth.workspaceId, request.params.uuid);
    return { status: 'segment was destroyed' as const };
  });

  app.get('/v1/segments/:uuid/contacts', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listSegmentContacts',
      tags, params: UuidParams, querystring: PageQuery, response: { 200: ContactListSchema },
      summary: 'List a segment\'s current members, newest contacts first', description: 'A dynamic segment is evaluated now. Pages of `limit` (1-100, default 20); pass meta.next_cursor as `cursor`.',
    },
  }, async (request) => listSegmentContacts(deps.db, request.auth.workspaceId, request.params.uuid, request.query));

  app.get('/v1/segments/:uuid/count', {
    config: { scope: 'read' },
    schema: { operationId: 'countSegmentContacts', tags, params: UuidParams, response: { 200: Type.Object({ count: Type.Integer() }) }, summary: 'Count a segment\'s current members' },
  }, async (request) => ({ count: await countSegment(deps.db, request.auth.workspaceId, request.params.uuid) }));

  const members = Type.Object({ count: Type.Integer({ description: 'How many contacts were added (not members yet) or removed (were members)' }) });
  app.post('/v1/segments/:uuid/contacts', {
    config: { scope: 'full' },
    schema: {
      operationId: 'addSegmentContacts',
      tags, params: UuidParams, body: SegmentContactsBody, response: { 200: members },
      summary: 'Add contacts to a static segment',
      description: 'Up to 1,000 contact uuids; members already in the list are left alone. A uuid that is not a contact of the workspace is a 400 naming body.contact_uuids.<i> '
        + '(nothing is added); a dynamic segment is a 409 `conflict`.',
    },
  }, async (request) => ({ count: await addSegmentContacts(deps.db, request.auth.workspaceId, request.params.uuid, request.body.contact_uuids) }));

  app.delete('/v1/segments/:uuid/contacts', {
    config: { scope: 'full' },
    schema: {
      operationId: 'removeSegmentContacts',
      tags, params: UuidParams, body: SegmentContactsBody, response: { 200: members },
      summary: 'Remove contacts from a static segment', description: 'Up to 1,000 contact uuids, as for adding; contacts that were not members are ignored.',
    },
  }, async (request) => ({ count: await removeSegmentContacts(deps.db, request.auth.workspaceId, request.params.uuid, request.body.contact_uuids) }));
}
