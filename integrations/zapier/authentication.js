'use strict';
const { api } = require('./lib/api');

/** Custom authentication: the Beckon server's base URL and an API key; the test reads /v1/auth/me. */
module.exports = {
  type: 'custom',
  fields: [
    { key: 'base_url', label: 'Beckon URL', required: true, type: 'string', helpText: 'Your Beckon server, e.g. https://beckon.example.com' },
    { key: 'api_key', label: 'API key', required: true, type: 'password', helpText: 'A Beckon API key (scope full), from the dashboard or `beckon keys create`.' },
  ],
  test: async (z, bundle) => api(z, bundle, 'GET', '/v1/auth/me'),
  connectionLabel: (z, bundle) => (bundle.inputData.workspace && bundle.inputData.workspace.name) || 'Beckon',
};
