import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { PageMeta, UuidParams } from '../system/schemas.ts';
import { automationExampleRoutes } from './example-list.ts';
import { cancelAutomationRun, getAutomationRun, listAutomationRuns, startAutomationRun } from './runs.ts';
import { AutomationSchema, CreateAutomationBody, ListAutomationsQuery, ListRunsQuery, RunSchema, StartRunBody, UpdateAutomationBody } from './schema.ts';
import { AutomationStatsSchema, StatsQuery } from './stats-schema.ts';
import { getAutomationStats } from './stats-service.ts';
import { createAutomation, deleteAutomation, getAutomation, listAutomations, moveAutomation, updateAutomation, type AutomationInput } from './service.ts';

const tags = ['automations'];
const One = Type.Object({ automation: AutomationSchema });
const OneRun = Type.Object({ run: RunSchema });
const CHECKS = 'The definition is checked whole: a 400 lists every problem with its JSON path (body.steps.<id>.<field>): unknown step types, edge targets '
  + 'that are not steps, steps unreachable from start, cycles without a wait, Liquid errors, channels that do not exist.';

/** Routes for automations: definitions, their lifecycle, and their runs. */
export function automationRoutes(app: App, deps: Deps): void {
  app.post('/v1/automations', {
    config: { scope: 'full' },
    schema: { operationId: 'createAutomation', tags, body: CreateAutomationBody, response: { 201: One }, summary: 'Create a draft automation', description: CHECKS },
  }, async (request, reply) => reply.code(201).send({ automation: await createAutomation(deps.db, request.auth.workspaceId, request.body as AutomationInput) }));

  app.get('/v1/automations', {
    config: { scope: 'read' },
    schema: { operationId: 'listAutomations', tags, querystring: ListAutomationsQuery, response: { 200: Type.Object({ automations: Type.Array(AutomationSchema), meta: PageMeta }) }, summary: 'List automations, newest first' },
  }, async (request) => listAutomations(deps.db, request.auth.workspaceId, request.query));

  automationExampleRoutes(app);

  app.get('/v1/automations/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getAutomation', tags, params: UuidParams, response: { 200: One }, summary: 'Get an automation (its current version)' },
  }, async (request) => ({ automation: await getAutomation(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.patch('/v1/automations/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'updateAutomation', tags, params: UuidParams, body: UpdateAutomationBody, response: { 200: One }, summary: 'Change an automation',
      description: `A draft is rewritten in place; an active or paused one gets a new version (runs keep the version they started on). 409 \`conflict\` once archived. ${CHECKS}`,
    },
  }, async (request) => ({ automation: await updateAutomation(deps.db, deps.queue, request.auth.workspaceId, request.params.uuid, request.body as Partial<AutomationInput>) }));

  app.delete('/v1/automations/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'deleteAutomation', tags, params: UuidParams, response: { 200: Type.Object({ status: Type.Literal('automation was destroyed') }) },
      summary: 'Delete an automation with its versions and runs', description: '409 `conflict` (with `automation_status`) while it is active: pause or archive it first.',
    },
  }, async (request) => {
    await deleteAutomation(deps.db, request.auth.workspaceId, request.params.uuid);
    return { status: 'automation was destroyed' as const };
  });

  const move = (action: 'activate' | 'pause' | 'archive', summary: string) => {
    app.post(`/v1/automations/:uuid/${action}`, {
      config: { scope: 'full' },
      schema: { operationId: `${action}Automation`, tags, params: UuidParams, response: { 200: One }, summary, description: 'An illegal move is a 409 `conflict` naming the current status in `automation_status`.' },
    }, async (request) => ({ automation: await moveAutomation(deps.db, deps.queue, request.auth.workspaceId, request.params.uuid, action) }));
  };
  move('activate', 'Activate a draft or paused automation: it takes new runs');
  move('pause', 'Pause an active automation: it takes no new runs; runs under way go on');
  move('archive', 'Archive an automation (final): it takes no new runs; runs under way go on');

  app.post('/v1/automations/:uuid/runs', {
    config: { scope: 'full' },
    schema: {
      operationId: 'startAutomationRun', tags, params: UuidParams, body: StartRunBody, response: { 202: OneRun }, summary: 'Start a run of an active api-triggered automation for a contact',
      description: '409 `run_active` (with `run_uuid`) when the contact already has an active run (per correlation key under per_correlation_key), '
        + '409 `already_entered` under the policy once, 409 `conflict` when the automation is not active or not api-triggered; 404 naming body.contact.uuid for an unknown contact.',
    },
  }, async (request, reply) => reply.code(202).send({ run: await startAutomationRun(deps, request.auth.workspaceId, request.params.uuid, request.body) }));

  app.get('/v1/automations/:uuid/runs', {
    config: { scope: 'read' },
    schema: { operationId: 'listAutomationRuns', tags, params: UuidParams, querystring: ListRunsQuery, response: { 200: Type.Object({ runs: Type.Array(RunSchema), meta: PageMeta }) }, summary: 'List an automation\'s runs, newest first (filters: status, contact_uuid)' },
  }, async (request) => listAutomationRuns(deps.db, request.auth.workspaceId, request.params.uuid, request.query));

  app.get('/v1/automations/:uuid/stats', {
    config: { scope: 'read' },
    schema: {
      operationId: 'getAutomationStats', tags, params: UuidParams, querystring: StatsQuery, response: { 200: Type.Object({ stats: AutomationStatsSchema }) },
      summary: 'An automation\'s stats over all its versions: runs, each step, a daily timeline',
      description: 'Read from counters written in the transaction of each step (never a scan of runs). Totals are all-time; `from`/`to` (UTC days) bound the timeline (at most 366 days).',
    },
  }, async (request) => ({ stats: await getAutomationStats(deps.db, request.auth.workspaceId, request.params.uuid, request.query) }));

  app.get('/v1/automation_runs/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getAutomationRun', tags, params: UuidParams, response: { 200: OneRun }, summary: 'Get a run with every step it took (time, outcome, message sent, reason)' },
  }, async (request) => ({ run: await getAutomationRun(deps.db, request.auth.workspaceId, request.params.uuid) }));

  app.post('/v1/automation_runs/:uuid/cancel', {
    config: { scope: 'full' },
    schema: { operationId: 'cancelAutomationRun', tags, params: UuidParams, response: { 200: OneRun }, summary: 'Cancel an active run (exited, exit_reason cancelled); 409 `conflict` naming `run_status` otherwise' },
  }, async (request) => ({ run: await cancelAutomationRun(deps, request.auth.workspaceId, request.params.uuid) }));
}
