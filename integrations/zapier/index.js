'use strict';
const { version } = require('./package.json');
const { version: platformVersion } = require('zapier-platform-core');
const authentication = require('./authentication');
const { addApiKey } = require('./lib/api');
const hookTriggers = require('./triggers');
const dropdowns = require('./triggers/dropdowns');
const creates = require('./creates');
const searches = require('./searches');

const byKey = (list) => Object.fromEntries(list.map((item) => [item.key, item]));

/** Beckon's Zapier app: REST-hook triggers, actions, a contact search with "create if not found", dynamic dropdowns. */
module.exports = {
  version,
  platformVersion,
  authentication,
  beforeRequest: [addApiKey],
  triggers: byKey([...hookTriggers, ...dropdowns]),
  creates: byKey(creates),
  searches: byKey(searches),
  searchOrCreates: {
    findContact: { key: 'findContact', display: { label: 'Find or Create Contact', description: 'Finds a contact by phone or email, or creates it.' }, search: 'findContact', create: 'createOrUpdateContact' },
  },
};
