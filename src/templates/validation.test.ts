import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

const BASE = { name: 'order_update', language: 'en_US', category: 'UTILITY', channel_type: 'whatsapp', body: 'Hi {{1}}' };

test('template validation: variables are {{1}}, {{2}}… without gaps, or {{names}}, one kind per template', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const errors = async (patch: Record<string, unknown>) => {
    const answer = await beckon.call('POST', '/v1/templates', { body: { ...BASE, ...patch } });
    assert.equal(answer.statusCode, 400, JSON.stringify(patch));
    assert.equal(answer.json().code, 'validation_failed');
    return answer.json().errors;
  };
  assert.deepEqual(await errors({ body: 'Hi {{1}}, order {{3}}' }), [{ path: 'body.body', message: 'numbers its variables {{1}}, {{3}}: number them {{1}}, {{2}}, {{3}}… without gaps' }]);
  assert.deepEqual(await errors({ body: 'Hi {{2}}' }), [{ path: 'body.body', message: 'numbers its variables {{2}}: number them {{1}}, {{2}}, {{3}}… without gaps' }]);
  assert.deepEqual(await errors({ body: 'Hi {{first_name}}, order {{1}}' }), [{ path: 'body.body', message: 'mixes positional ({{1}}) and named ({{first_name}}) variables: use one kind in the whole template' }]);
  assert.deepEqual(await errors({ body: 'Hi {{1}}', header: { format: 'TEXT', text: 'For {{name}}' } }), [{ path: 'body.body', message: 'mixes positional ({{1}}) and named ({{first_name}}) variables: use one kind in the whole template' }]);
  assert.deepEqual(await errors({ body: 'Hi {{First Name}} and {{0}} and {{ }}' }), [
    { path: 'body.body', message: '{{First Name}} is not a variable: use {{1}}, {{2}}… or a name of lowercase letters, digits and underscores such as {{first_name}}' },
    { path: 'body.body', message: '{{0}} is not a variable: use {{1}}, {{2}}… or a name of lowercase letters, digits and underscores such as {{first_name}}' },
    { path: 'body.body', message: '{{ }} is not a variable: use {{1}}, {{2}}… or a name of lowercase letters, digits and underscores such as {{first_name}}' },
  ]);
  assert.deepEqual(await errors({ body: 'Hi {{1}' }), [{ path: 'body.body', message: 'has unbalanced braces: write a variable as {{1}} or {{first_name}}' }]);
  assert.deepEqual(await errors({ body: 'x'.repeat(1025) }), [{ path: 'body.body', message: 'must be 1 to 1024 characters' }]);
  assert.deepEqual(await errors({ name: 'Order Update', language: 'English' }), [
    { path: 'body.name', message: 'must be lowercase letters, digits and underscores (WhatsApp template names), e.g. order_update' },
    { path: 'body.language', message: 'must be a language code such as en, en_US or pt_BR' },
  ]);
  // repeated variables are one variable; {{ 1 }} is {{1}}
  const ok = await beckon.call('POST', '/v1/templates', { body: { ...BASE, body: 'Hi {{ 1 }}, yes {{1}}, {{2}}' } });
  assert.equal(ok.statusCode, 201);
  assert.deepEqual(ok.json().template.variables, ['1', '2']);
  // SMS and email bodies may be longer and carry any name; the language code is normalized (en-GB → en_GB)
  const sms = await beckon.call('POST', '/v1/templates', { body: { ...BASE, channel_type: 'sms', name: 'Reminder (SMS)', language: 'en-GB', body: 'y'.repeat(2000) } });
  assert.equal(sms.statusCode, 201);
  assert.equal(sms.json().template.language, 'en_GB');
});

test('template validation: WhatsApp header, footer and buttons follow Meta\'s rules and exist on WhatsApp templates only', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const errors = async (patch: Record<string, unknown>) => {
    const answer = await beckon.call('POST', '/v1/templates', { body: { ...BASE, ...patch } });
    assert.equal(answer.statusCode, 400, JSON.stringify(patch));
    return answer.json().errors;
  };
  assert.deepEqual(await errors({ header: { format: 'TEXT' } }), [{ path: 'body.header.text', message: 'is required for a TEXT header' }]);
  assert.deepEqual(await errors({ header: { format: 'TEXT', text: '{{1}} and {{2}}' } }), [{ path: 'body.header.text', message: 'may have at most 1 variable' }]);
  assert.deepEqual(await errors({ header: { format: 'TEXT', text: 'x'.repeat(61), media_url: 'https://x.example/a.png' } }), [
    { path: 'body.header.media_url', message: 'is only for IMAGE, VIDEO and DOCUMENT headers' },
    { path: 'body.header.text', message: 'must be at most 60 characters' },
  ]);
  assert.deepEqual(await errors({ header: { format: 'IMAGE', text: 'x', media_url: 'ftp://x' } }), [
    { path: 'body.header.text', message: 'is only for TEXT headers (a IMAGE header shows a media)' },
    { path: 'body.header.media_url', message: 'must be an http or https URL' },
  ]);
  // (the schema's nullable union adds its own lines for body.header; the one that matters names the format)
  assert.ok((await errors({ header: { format: 'LOCATION' } })).some((e: { path: string; message: string }) => e.path === 'body.header.format' && e.message === 'must be equal to one of the allowed values'));
  assert.deepEqual(await errors({ footer: 'Reply {{1}}' }), [{ path: 'body.footer', message: 'cannot have variables' }]);
  assert.deepEqual(await errors({
    buttons: [
      { type: 'URL', text: 'Track', url: 'https://shop.example/{{1}}/status' },
      { type: 'URL', text: 'x'.repeat(26), url: 'not a url' },
      { type: 'URL', text: 'Third', url: 'https://x.example' },
      { type: 'QUICK_REPLY', text: 'Yes', url: 'https://x.example' },
      { type: 'PHONE_NUMBER', text: 'Call', phone_number: '12' },
    ],
  }), [
    { path: 'body.buttons', message: 'may have at most 2 URL buttons' },
    { path: 'body.buttons.1.text', message: 'must be 1 to 25 characters' },
    { path: 'body.buttons.1.url', message: 'is required: an http or https URL, which may end with one variable ({{1}})' },
    { path: 'body.buttons.3.url', message: 'is only for URL buttons' },
    { path: 'body.buttons.4.phone_number', message: '"12" is not a valid phone number (use international format, e.g. +39 333 123 4567)' },
    { path: 'body.buttons.0.url', message: 'may only have its variable at the end' },
  ]);
  assert.deepEqual(await errors({ channel_type: 'email', name: 'welcome', header: { format: 'TEXT', text: 'Hi' }, footer: 'Bye', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }] }), [
    { path: 'body.header', message: 'is only for WhatsApp templates (channel_type whatsapp), not email' },
    { path: 'body.footer', message: 'is only for WhatsApp templates (channel_type whatsapp), not email' },
    { path: 'body.buttons', message: 'is only for WhatsApp templates (channel_type whatsapp), not email' },
  ]);
  const unknown = await beckon.call('POST', '/v1/templates', { body: { ...BASE, components: [] } });
  assert.deepEqual(unknown.json().errors, [{ path: 'body.components', message: 'is not a known field' }]);

  // a PATCH is checked as a whole: moving a WhatsApp template with buttons to sms is refused
  const made = (await beckon.call('POST', '/v1/templates', { body: { ...BASE, buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }] } })).json().template;
  const moved = await beckon.call('PATCH', `/v1/templates/${made.uuid}`, { body: { channel_type: 'sms' } });
  assert.equal(moved.statusCode, 400);
  assert.deepEqual(moved.json().errors, [{ path: 'body.buttons', message: 'is only for WhatsApp templates (channel_type whatsapp), not sms' }]);
});
