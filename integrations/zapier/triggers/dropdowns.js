'use strict';
const { api } = require('../lib/api');

/** A hidden polling trigger that feeds a dynamic dropdown from a Beckon list. */
const dropdown = (key, noun, path, listKey, sample) => ({
  key,
  noun,
  display: { label: `List ${noun}s`, description: `Lists the workspace's ${noun.toLowerCase()}s for dropdowns.`, hidden: true },
  operation: {
    perform: async (z, bundle) => {
      const page = await api(z, bundle, 'GET', path);
      return page[listKey].map((item) => ({ id: item.uuid, ...item }));
    },
    sample: { id: sample.uuid, ...sample },
  },
});

/** The dynamic dropdowns: channels, templates, automations, teams and custom fields. */
module.exports = [
  dropdown('channelList', 'Channel', '/v1/channels', 'channels', { uuid: '0193a0b0-0000-7000-8000-0000000000a1', title: 'WhatsApp +1 415 555 0100', type: 'whatsapp' }),
  dropdown('templateList', 'Template', '/v1/templates', 'templates', { uuid: '0193a0b0-0000-7000-8000-0000000000b1', name: 'order_confirmation', variables: ['1', '2'] }),
  dropdown('automationList', 'Automation', '/v1/automations', 'automations', { uuid: '0193a0b0-0000-7000-8000-0000000000f0', name: 'Order follow-up', status: 'active' }),
  dropdown('teamList', 'Team', '/v1/teams', 'teams', { uuid: '0193a0b0-0000-7000-8000-0000000000t1', name: 'Support' }),
  dropdown('customFieldList', 'Custom Field', '/v1/custom_fields', 'custom_fields', { uuid: '0193a0b0-0000-7000-8000-0000000000c9', key: 'plan', label: 'Plan', type: 'text' }),
];
