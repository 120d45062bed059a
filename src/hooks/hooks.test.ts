import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { deliveriesOf, emit, waitForDelivery, workspaceOf } from '../webhooks/test-support.ts';
import { flatEvent } from '../webhooks/flat.ts';

test('flatEvent: the event id, type and time, then the payload\'s fields with nested objects lifted by prefix', () => {
  const flat = flatEvent({
    id: 'e1', type: 'message_created', created_at: '2026-12-06T10:00:00.000Z',
    payload: { uuid: 'm1', id: 'not-the-event', contact: { uuid: 'c1', phone: '+1' }, content: { text: 'hi' }, tags: ['a'], status_history: [{ status: 'sent' }], a: { b: { c: { d: { e: 1 } } } } },
  });
  assert.deepEqual(flat, {
    id: 'e1', event: 'message_created', event_created_at: '2026-12-06T10:00:00.000Z', uuid: 'm1', contact_uuid: 'c1', contact_phone: '+1', content_text: 'hi',
    tags: ['a'], status_history: [{ status: 'sent' }], a_b_c_d: { e: 1 },
  });
});

test('POST /v1/hooks: a signed, flat-bodied endpoint of origin zapier, listed with its deliveries; DELETE removes only hooks', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const created = await beckon.call('POST', '/v1/hooks', { body: { target_url: receiver.url(), event: 'contact_created' } });
  assert.equal(created.statusCode, 201, created.body);
  const hook = created.json();
  assert.deepEqual(Object.keys(hook).sort(), ['event', 'id', 'secret', 'target_url']);
  assert.deepEqual([hook.event, hook.target_url], ['contact_created', receiver.url()]);
  const listed = (await beckon.call('GET', '/v1/webhooks')).json().webhooks;
  assert.deepEqual(listed.map((w: { uuid: string; origin: string; events: string[] }) => [w.uuid, w.origin, w.events]), [[hook.id, 'zapier', ['contact_created']]]);

  const contact = (await beckon.call('POST', '/v1/contacts', { body: { name: 'Ada', phone: '+39 333 123 4567', custom_fields: { plan: 'gold' } } })).json().contact;
  const [request] = await receiver.waitForRequests(1);
  const body = new Webhook(hook.secret).verify(request.body, request.headers) as Record<string, unknown>;
  assert.equal(request.headers['webhook-id'], body.id);
  assert.deepEqual({ ...body, created_at: undefined, updated_at: undefined, event_created_at: undefined }, {
    ...flatEvent({ id: String(body.id), type: 'contact_created', created_at: '', payload: contact }), created_at: undefined, updated_at: undefined, event_created_at: undefined,
  });
  assert.deepEqual([body.event, body.uuid, body.name, body.phone, body.custom_fields_plan, body.payload], ['contact_created', contact.uuid, 'Ada', '+393331234567', 'gold', undefined]);
  await waitForDelivery(beckon, hook.id, 'the delivery succeeded', (d) => d.status === 'succeeded');

  const samples = await beckon.call('GET', '/v1/hooks/samples/contact_created?limit=1');
  assert.equal(samples.statusCode, 200, samples.body);
  assert.deepEqual(samples.json().samples, [body], 'performList answers exactly what a delivery carries');

  const api = (await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url('/api'), events: ['contact_created'] } })).json().webhook;
  assert.equal((await beckon.call('DELETE', `/v1/hooks/${api.uuid}`)).statusCode, 404, 'an endpoint made with /v1/webhooks is not a hook');
  assert.equal((await beckon.call('DELETE', `/v1/hooks/${hook.id}`)).statusCode, 204);
  assert.equal((await beckon.call('DELETE', `/v1/hooks/${hook.id}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.id}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${api.uuid}`)).statusCode, 200);
});

test('hooks: automation_run_finished stands for four types, custom.<name> for one custom event; samples are newest first and of those types only', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const runs = (await beckon.call('POST', '/v1/hooks', { body: { target_url: receiver.url(), event: 'automation_run_finished' } })).json();
  assert.deepEqual((await beckon.call('GET', `/v1/webhooks/${runs.id}`)).json().webhook.events, ['automation_run_completed', 'automation_run_exited', 'automation_run_failed', 'automation_run_converted']);
  const ws = await workspaceOf(beckon);
  await emit(beckon, ws, 'automation_run_failed', { uuid: 'r1', status: 'failed' });
  await emit(beckon, ws, 'automation_run_started', { uuid: 'r2', status: 'active' });
  await emit(beckon, ws, 'automation_run_completed', { uuid: 'r3', status: 'completed' });
  await waitFor('two deliveries', async () => (await deliveriesOf(beckon, runs.id)).filter((d) => d.status === 'succeeded').length === 2);
  assert.deepEqual((await deliveriesOf(beckon, runs.id)).map((d) => d.event_type), ['automation_run_completed', 'automation_run_failed']);
  const samples = (await beckon.call('GET', '/v1/hooks/samples/automation_run_finished')).json().samples;
  assert.deepEqual(samples.map((s: { uuid: string; event: string }) => [s.uuid, s.event]), [['r3', 'automation_run_completed'], ['r1', 'automation_run_failed']]);

  await beckon.call('POST', '/v1/events', { body: { name: 'order_placed', contact: { phone: '+393331234567' }, data: { order_id: 'A1' } } });
  await beckon.call('POST', '/v1/events', { body: { name: 'cart_abandoned', contact: { phone: '+393331234567' } } });
  const orders = (await beckon.call('GET', '/v1/hooks/samples/custom.order_placed')).json().samples;
  assert.deepEqual(orders.map((s: Record<string, unknown>) => [s.event, s.name, s.data_order_id, s.contact_phone]), [['custom.order_placed', 'order_placed', 'A1', '+393331234567']]);
});

test('hooks: a 410 from the target disables the hook; bad input is a 400 naming the field; private targets are refused', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.next({ status: 410 });
  const hook = (await beckon.call('POST', '/v1/hooks', { body: { target_url: receiver.url(), event: 'contact_created' } })).json();
  await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567' } });
  await waitForDelivery(beckon, hook.id, 'the 410', (d) => d.status === 'failed');
  const endpoint = (await beckon.call('GET', `/v1/webhooks/${hook.id}`)).json().webhook;
  assert.equal(endpoint.enabled, false);
  assert.match(endpoint.disabled_reason, /410 Gone/);

  const bad = async (body: unknown, path: string) => {
    const res = await beckon.call('POST', '/v1/hooks', { body });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), [path]);
    return res.json();
  };
  await bad({ target_url: receiver.url(), event: 'contact_exploded' }, 'body.event');
  await bad({ event: 'contact_created' }, 'body.target_url');
  assert.equal((await beckon.call('GET', '/v1/hooks/samples/nope')).statusCode, 400);

  const strict = await startBeckon({ BECKON_WEBHOOK_ALLOW_PRIVATE: '' });
  t.after(() => strict.stop());
  const refused = await strict.call('POST', '/v1/hooks', { body: { target_url: 'http://127.0.0.1:9/hook', event: 'contact_created' } });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json().code, 'webhook_url_refused');
  assert.deepEqual(refused.json().errors.map((e: { path: string }) => e.path), ['body.target_url']);
});
