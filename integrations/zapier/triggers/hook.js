'use strict';
const { api } = require('../lib/api');

/** The hook event a trigger subscribes to: fixed, or computed from its input (custom.<name>). */
const eventOf = (spec, bundle) => (typeof spec.event === 'function' ? spec.event(bundle.inputData) : spec.event);

/**
 * An instant trigger on Beckon's REST hooks: performSubscribe POSTs /v1/hooks with Zapier's target URL, performUnsubscribe
 * DELETEs it, perform hands on the flat body Beckon delivered (dropped when the trigger's filter refuses it), and
 * performList reads the same flat shape from /v1/hooks/samples/:event.
 */
const hookTrigger = (spec) => {
  const keep = (bundle, item) => !spec.filter || spec.filter(bundle.inputData, item);
  return {
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description },
    operation: {
      type: 'hook',
      inputFields: spec.inputFields || [],
      performSubscribe: async (z, bundle) => api(z, bundle, 'POST', '/v1/hooks', { target_url: bundle.targetUrl, event: eventOf(spec, bundle) }),
      performUnsubscribe: async (z, bundle) => {
        await api(z, bundle, 'DELETE', `/v1/hooks/${encodeURIComponent(bundle.subscribeData.id)}`);
        return {};
      },
      perform: async (z, bundle) => {
        const item = bundle.cleanedRequest;
        return item && keep(bundle, item) ? [item] : [];
      },
      performList: async (z, bundle) => {
        const page = await api(z, bundle, 'GET', `/v1/hooks/samples/${encodeURIComponent(eventOf(spec, bundle))}`, undefined, { limit: 25 });
        return page.samples.filter((item) => keep(bundle, item));
      },
      sample: spec.sample,
    },
  };
};

module.exports = { hookTrigger };
