'use strict';
const { findContact } = require('../lib/api');

/** Beckon's searches: a contact by uuid, phone or email (Zapier offers "create if not found" with createOrUpdateContact). */
module.exports = [{
  key: 'findContact',
  noun: 'Contact',
  display: { label: 'Find Contact', description: 'Finds a contact by uuid, phone or email.' },
  operation: {
    inputFields: [{ key: 'contact_uuid', label: 'Contact UUID', required: false }, { key: 'phone', label: 'Phone', required: false }, { key: 'email', label: 'Email', required: false }],
    perform: async (z, bundle) => {
      const contact = await findContact(z, bundle, { uuid: bundle.inputData.contact_uuid, phone: bundle.inputData.phone, email: bundle.inputData.email });
      return contact ? [contact] : [];
    },
    sample: { uuid: '0193a0b0-0000-7000-8000-0000000000c1', name: 'Ada Lovelace', phone: '+14155550101', email: 'ada@example.com', tags: ['vip'] },
  },
}];
