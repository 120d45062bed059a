import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { AppError } from '../errors.ts';
import { upsertProviderTemplate } from './service.ts';

const WHATSAPP = { phone_number_id: '106540352242922', business_account_id: '102290129340398', access_token: 'EAAJB-access-token-0000', app_secret: 'app-secret-0123456789', verify_token: 'verify-token' };

test('provider templates (sync): created for the channel, then updated in place; a hand-made template of the same name is adopted', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid as string;
  const channel = (await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WA', config: WHATSAPP } })).json().channel;
  const target = { id: channel.uuid as string, type: 'whatsapp' };

  const first = await upsertProviderTemplate(db, workspaceId, target, {
    name: 'order_update', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}', status: 'pending', provider_template_id: '594425479261596',
  });
  assert.equal(first.created, true);
  assert.deepEqual([first.template.channel_uuid, first.template.status, first.template.provider_template_id], [channel.uuid, 'pending', '594425479261596']);

  const again = await upsertProviderTemplate(db, workspaceId, target, {
    name: 'order_update', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}, thanks', status: 'approved', provider_template_id: '594425479261596',
    buttons: [{ type: 'QUICK_REPLY', text: 'OK' }],
  });
  assert.equal(again.created, false);
  assert.equal(again.template.uuid, first.template.uuid);
  assert.deepEqual((await beckon.call('GET', `/v1/templates/${first.template.uuid}`)).json().template, again.template);
  assert.equal(again.template.status, 'approved');
  assert.equal(again.template.body, 'Hi {{1}}, thanks');

  const handMade = (await beckon.call('POST', '/v1/templates', { body: { name: 'welcome', language: 'en', category: 'MARKETING', channel_type: 'whatsapp', body: 'Hello' } })).json().template;
  const adopted = await upsertProviderTemplate(db, workspaceId, target, { name: 'welcome', language: 'en', category: 'MARKETING', body: 'Hello', status: 'paused', status_reason: 'low quality', provider_template_id: '1' });
  assert.equal(adopted.created, false);
  assert.equal(adopted.template.uuid, handMade.uuid);
  assert.deepEqual([adopted.template.channel_uuid, adopted.template.status, adopted.template.status_reason], [channel.uuid, 'paused', 'low quality']);
  assert.equal((await beckon.call('GET', '/v1/templates?channel_uuid=' + channel.uuid)).json().templates.length, 2);
});

test('provider templates (sync): a template that breaks Beckon\'s rules is a 400 naming template.<field>, and nothing is stored', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid as string;
  const channel = (await beckon.call('GET', '/v1/channels')).json().channels[0];
  const err = await upsertProviderTemplate(db, workspaceId, { id: channel.uuid, type: 'whatsapp' }, {
    name: 'Bad Name', language: 'en', category: 'UTILITY', body: 'Hi {{2}}', status: 'approved', provider_template_id: '9',
  }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.equal(err.status, 400);
  assert.deepEqual(err.errors, [
    { path: 'template.name', message: 'must be lowercase letters, digits and underscores (WhatsApp template names), e.g. order_update' },
    { path: 'template.body', message: 'numbers its variables {{2}}: number them {{1}}, {{2}}, {{3}}… without gaps' },
  ]);
  assert.deepEqual((await beckon.call('GET', '/v1/templates')).json().templates, []);
});
