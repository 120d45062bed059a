import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContactsTable } from '../db/types.ts';
import { AppError } from '../errors.ts';
import { checkTemplate, renderTemplate, scopeOf } from './liquid.ts';

const CONTACT: ContactsTable = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057', workspace_id: 'w', name: 'Ann Marie Smith', phone: '+393331234567', email: null, tags: '["vip","rome"]',
  custom_fields: '{"plan":"pro","visits":3}', source: 'import', consent: '{}', blocked: 0, last_inbound_at: null, created_at: '', updated_at: '',
};

function render(source: string, contact = CONTACT): string {
  return renderTemplate(checkTemplate(source, 'body.content.text'), scopeOf(contact));
}

test('liquid: contact fields, first name, tags, custom fields and filters render per contact', () => {
  assert.equal(render('Hi {{ contact.first_name }} ({{ contact.name }}), {{ contact.phone }}'), 'Hi Ann (Ann Marie Smith), +393331234567');
  assert.equal(render('{{ contact.email | default: "no email" }} {% if contact.tags contains "vip" %}VIP{% endif %} {{ contact.tags | join: "," }}'), 'no email VIP vip,rome');
  assert.equal(render('{{ contact.custom_fields.plan | upcase }} {{ contact.custom_fields.visits | plus: 1 }} [{{ contact.custom_fields.missing }}]'), 'PRO 4 []');
  assert.equal(render('Hi {{ contact.name | default: "there" }}', { ...CONTACT, name: null }), 'Hi there');
  assert.equal(render('[{{ contact.constructor }}][{{ contact.tags.constructor }}]'), '[][]', 'only own properties are visible');
});

test('liquid: syntax errors, unknown filters, file tags and runaway renders are refused with the field path', () => {
  for (const source of ['{{ contact.name', '{% if %}x{% endif %}', '{{ contact.name | shout }}', '{% include "x" %}', '{% render "x" %}', '{% layout "x" %}', '{% for i in (1..100000000) %}ab{% endfor %}']) {
    assert.throws(() => checkTemplate(source, 'body.content.text'), (error: unknown) => error instanceof AppError && error.errors?.[0]?.path === 'body.content.text', source);
  }
});
