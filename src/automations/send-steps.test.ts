import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { contact, optedIn, sandboxChannel, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { activate, messageOf, oneStep, outcomes, refusedPaths, runEnded, startRun, strictWhatsapp, template } from './test-support.ts';

test('send_message steps: a template with Liquid values (by uuid and by name), opt-in required; a media with Liquid url and caption', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const reminder = await template(beckon, { name: 'cart_reminder', body: 'Hi {{1}}, your cart of {{2}} is waiting' });
  const byUuid = await activate(beckon, oneStep({ type: 'send_message', channel_uuid: channel, template: { uuid: reminder, values: ['{{ contact.first_name }}', '{{ trigger.cart.total }}'] } }));
  const byName = await activate(beckon, oneStep({ type: 'send_message', channel_uuid: channel, template: { name: 'cart_reminder', language: 'en', values: ['{{ contact.name | upcase }}', 'nothing'] } }));
  const ann = await contact(beckon, { name: 'Ann Lee', phone: '+393331234567', consent: optedIn('whatsapp') });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });

  const first = await runEnded(beckon, await startRun(beckon, byUuid, { contact: { uuid: ann }, correlation_key: 'c1', data: { cart: { total: '42 €' } } }));
  assert.deepEqual(outcomes(first), [['act', 'next', null], ['done', 'completed', null]]);
  const message = await messageOf(beckon, first.steps[0].message_uuid);
  assert.deepEqual([message.type, message.content, message.template_uuid, message.template_values, message.metadata],
    ['text', { text: 'Hi Ann, your cart of 42 € is waiting' }, reminder, ['Ann', '42 €'], { automation_uuid: byUuid, automation_run_uuid: first.uuid }]);
  const second = await runEnded(beckon, await startRun(beckon, byName, { contact: { uuid: ann }, correlation_key: 'c2' }));
  assert.deepEqual((await messageOf(beckon, second.steps[0].message_uuid)).content, { text: 'Hi ANN LEE, your cart of nothing is waiting' });

  // every send rule applies: a template needs the contact's opt-in; an empty rendered value is refused by the template
  const noOptin = await runEnded(beckon, await startRun(beckon, byUuid, { contact: { uuid: bob }, correlation_key: 'c3', data: { cart: { total: '1 €' } } }));
  assert.deepEqual(outcomes(noOptin), [['act', 'skipped', 'optin_required'], ['done', 'completed', null]]);
  const empty = await runEnded(beckon, await startRun(beckon, byUuid, { contact: { uuid: ann }, correlation_key: 'c4', data: {} }));
  assert.deepEqual(outcomes(empty), [['act', 'skipped', 'template_values_invalid'], ['done', 'completed', null]]);
  // a template no longer approved is skipped with its reason
  assert.equal((await beckon.call('PATCH', `/v1/templates/${reminder}`, { body: { status: 'paused' } })).statusCode, 200);
  const paused = await runEnded(beckon, await startRun(beckon, byUuid, { contact: { uuid: ann }, correlation_key: 'c5', data: { cart: { total: '2 €' } } }));
  assert.deepEqual(outcomes(paused), [['act', 'skipped', 'template_not_approved'], ['done', 'completed', null]]);

  const media = await activate(beckon, oneStep({ type: 'send_message', channel_uuid: channel, media: { type: 'image', url: '{{ trigger.image }}', caption: 'Your {{ trigger.sku }}, {{ contact.first_name }}' } }));
  const shown = await runEnded(beckon, await startRun(beckon, media, { contact: { uuid: bob }, correlation_key: 'm1', data: { image: 'https://cdn.example.com/p1.jpg', sku: 'P1' } }));
  assert.deepEqual(outcomes(shown), [['act', 'next', null], ['done', 'completed', null]]);
  const image = await messageOf(beckon, shown.steps[0].message_uuid);
  assert.deepEqual([image.type, image.content, image.template_uuid], ['image', { url: 'https://cdn.example.com/p1.jpg', text: 'Your P1, Bob' }, null]);
  const badUrl = await runEnded(beckon, await startRun(beckon, media, { contact: { uuid: bob }, correlation_key: 'm2', data: { image: 'ftp://cdn.example.com/p1.jpg' } }));
  assert.deepEqual(outcomes(badUrl), [['act', 'skipped', 'invalid_media_url'], ['done', 'completed', null]]);
  const messages = await beckon.runtime.deps.db.selectFrom('messages').select('contact_id').where('direction', '=', 'outbound').execute();
  assert.deepEqual(messages.map((m) => m.contact_id).sort(), [ann, ann, bob].sort());
});

test('send_message steps: outside the 24-hour window the fallback template is sent; without one the step is skipped', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const strict = await strictWhatsapp(beckon);
  const followUp = await template(beckon, { name: 'follow_up', body: 'Hi {{1}}, we have news about {{2}}' });
  const text = { type: 'send_message', channel_uuid: strict, text: 'Hi {{ contact.first_name }}, news about {{ trigger.topic }}' };
  const withFallback = await activate(beckon, oneStep({ ...text, fallback_template: { uuid: followUp, values: ['{{ contact.first_name }}', '{{ trigger.topic }}'] } }));
  const without = await activate(beckon, oneStep(text));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567', consent: optedIn('whatsapp') });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });

  const fallback = await runEnded(beckon, await startRun(beckon, withFallback, { contact: { uuid: ann }, correlation_key: 'k1', data: { topic: 'your order' } }));
  assert.deepEqual(outcomes(fallback), [['act', 'next', 'fallback_template'], ['done', 'completed', null]]);
  const message = await messageOf(beckon, fallback.steps[0].message_uuid);
  assert.deepEqual([message.content, message.template_uuid, message.template_values], [{ text: 'Hi Ann, we have news about your order' }, followUp, ['Ann', 'your order']]);

  const skipped = await runEnded(beckon, await startRun(beckon, without, { contact: { uuid: ann }, correlation_key: 'k2', data: { topic: 'x' } }));
  assert.deepEqual(outcomes(skipped), [['act', 'skipped', 'outside_customer_service_window'], ['done', 'completed', null]]);
  assert.equal(skipped.steps[0].message_uuid, null);
  // the fallback template's own rules apply: Bob has not opted in
  const refused = await runEnded(beckon, await startRun(beckon, withFallback, { contact: { uuid: bob }, correlation_key: 'k3', data: { topic: 'x' } }));
  assert.deepEqual(outcomes(refused), [['act', 'skipped', 'optin_required'], ['done', 'completed', null]]);
  const count = await beckon.runtime.deps.db.selectFrom('messages').select('id').where('direction', '=', 'outbound').execute();
  assert.equal(count.length, 1);
});

test('send_message steps: bad templates, media and content are 400s naming their paths', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const email = await sandboxChannel(beckon, 'email');
  const two = await template(beckon, { name: 'two_values', body: 'Hi {{1}}, {{2}}' });
  const pending = await template(beckon, { name: 'pending_one', body: 'Hi', status: 'pending' });
  const missing = '0190a000-0000-7000-8000-000000000000';
  const send = (settings: Record<string, unknown>) => oneStep({ type: 'send_message', channel_uuid: channel, ...settings });

  assert.deepEqual(await refusedPaths(beckon, send({ template: { uuid: missing } })), [{ path: 'body.steps.act.template.uuid', message: 'no such template in this workspace' }]);
  assert.deepEqual(await refusedPaths(beckon, send({ template: { name: 'nope', language: 'en' } })), [{ path: 'body.steps.act.template.name', message: 'no whatsapp template "nope" in en in this workspace' }]);
  assert.deepEqual(await refusedPaths(beckon, send({ template: { uuid: pending } })), [{ path: 'body.steps.act.template.uuid', message: 'is pending, not approved' }]);
  assert.deepEqual(await refusedPaths(beckon, send({ template: { uuid: two, values: ['{{ contact.name }}'] } })), [{ path: 'body.steps.act.template.values.1', message: 'is missing: the value of {{2}} of the body' }]);
  assert.deepEqual(await refusedPaths(beckon, send({ text: 'Hi', fallback_template: { uuid: missing } })), [{ path: 'body.steps.act.fallback_template.uuid', message: 'no such template in this workspace' }]);
  assert.deepEqual(await refusedPaths(beckon, send({ template: { uuid: two, values: ['a', 'b'] }, text: 'Hi' })), [{ path: 'body.steps.act.template', message: 'give exactly one of text, media and template' }]);
  assert.deepEqual(await refusedPaths(beckon, send({})), [{ path: 'body.steps.act.text', message: 'give exactly one of text, media and template' }]);
  const liquid = await refusedPaths(beckon, send({ template: { uuid: two, values: ['{{ contact.name', 'b'] } }));
  assert.deepEqual(liquid.map((e) => e.path), ['body.steps.act.template.values.0']);
  assert.match(liquid[0].message, /^is not a valid Liquid template/);
  assert.deepEqual(await refusedPaths(beckon, send({ media: { type: 'sticker', url: 'ftp://x', extra: 1 } })), [
    { path: 'body.steps.act.media.extra', message: 'is not a setting of a media' },
    { path: 'body.steps.act.media.type', message: 'must be one of image, document, audio, video' },
    { path: 'body.steps.act.media.url', message: 'must be an http or https URL (or Liquid that renders to one)' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, oneStep({ type: 'send_message', channel_uuid: email, subject: 'Hi', media: { type: 'image', url: 'https://x.example/a.png' } })), [
    { path: 'body.steps.act.media', message: 'is not for email channels (send a text with a link)' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, send({ template: { uuid: two, values: ['a', 'b'] }, fallback_template: { uuid: two } })), [
    { path: 'body.steps.act.fallback_template', message: 'is for text and media sends (a template is sent outside the 24-hour window anyway)' },
  ]);
});
