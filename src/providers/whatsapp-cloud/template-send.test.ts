import { test } from 'node:test';
import assert from 'node:assert/strict';
import { META_TEMPLATES } from './template-fixtures.ts';
import { startWhatsApp } from './test-support.ts';

const CUSTOMER = '+12025550143';

test('a synced template sends by name and language with its header, body and URL-button parameters', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  wa.fake.templates = [{ ...META_TEMPLATES[1], status: 'APPROVED' }, META_TEMPLATES[0]];
  const synced = (await wa.beckon.call('POST', '/v1/templates/sync', { body: {} })).json().templates;
  const uuidOf = (name: string) => synced.find((x: { name: string }) => x.name === name).uuid;

  const positional = await wa.sendAndSettle({
    to: CUSTOMER, type: 'text', optin_contact: true, template_uuid: uuidOf('order_delivery_update'), template_values: ['Mark', '566701', '#1234', '566701'],
  });
  assert.equal(positional.status, 'sent', JSON.stringify(positional.error));
  assert.deepEqual(positional.content, { text: 'Good news Mark! Your order #566701 is on its way. Track it below.' });
  assert.deepEqual(wa.fake.sends.at(-1)!.body, {
    messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, biz_opaque_callback_data: positional.uuid, type: 'template',
    template: {
      name: 'order_delivery_update', language: { code: 'en' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: '#1234' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Mark' }, { type: 'text', text: '566701' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '566701' }] },
      ],
    },
  });

  const named = await wa.sendAndSettle({
    to: CUSTOMER, type: 'image', content: { url: 'https://cdn.example.com/tables/window.jpg' }, template_uuid: uuidOf('reservation_confirmation'),
    template_values: { number_of_guests: '4', day: 'Saturday', date: 'August 30th, 2025', time: '7:30 pm' },
  });
  assert.equal(named.status, 'sent', JSON.stringify(named.error));
  assert.deepEqual(wa.fake.sends.at(-1)!.body.template, {
    name: 'reservation_confirmation', language: { code: 'en_US' },
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/tables/window.jpg' } }] },
      {
        type: 'body', parameters: [
          { type: 'text', parameter_name: 'number_of_guests', text: '4' }, { type: 'text', parameter_name: 'day', text: 'Saturday' },
          { type: 'text', parameter_name: 'date', text: 'August 30th, 2025' }, { type: 'text', parameter_name: 'time', text: '7:30 pm' },
        ],
      },
    ],
  });
  assert.equal(wa.fake.sends.length, 2);
});

test('Meta refusing a template at send time fails the message with the code and what to do', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  wa.fake.templates = [{ ...META_TEMPLATES[2], status: 'APPROVED' }];
  const [template] = (await wa.beckon.call('POST', '/v1/templates/sync', { body: {} })).json().templates;
  wa.fake.script(CUSTOMER, { status: 404, body: { error: { message: '(#132001) Template name does not exist in the translation', type: 'OAuthException', code: 132001, error_data: { messaging_product: 'whatsapp', details: 'template name (summer_sale) does not exist in en_US' }, fbtrace_id: 'AbCdEf' } } });
  const message = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', optin_contact: true, template_uuid: template.uuid });
  assert.equal(message.status, 'failed');
  assert.deepEqual(message.error, {
    code: '132001',
    reason: 'Template name does not exist in the translation (132001): template name (summer_sale) does not exist in en_US: the template does not exist in this language on WhatsApp: check the template on WhatsApp Manager, then run POST /v1/templates/sync',
  });
});
