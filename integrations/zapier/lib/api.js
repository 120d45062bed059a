'use strict';

/** The Beckon server's base URL of a connection, without a trailing slash. */
const baseUrl = (bundle) => String(bundle.authData.base_url || '').replace(/\/+$/, '');

/** Calls Beckon's API: `path` under the connection's base URL; answers the parsed JSON (z.request throws on 4xx/5xx). */
const api = async (z, bundle, method, path, body, params) => {
  const response = await z.request({ method, url: `${baseUrl(bundle)}${path}`, body, params });
  return response.data;
};

/** Adds the connection's API key to every request. */
const addApiKey = (request, z, bundle) => {
  if (bundle.authData && bundle.authData.api_key) request.headers.Authorization = `Bearer ${bundle.authData.api_key}`;
  return request;
};

/** The contact reference of an input: uuid, else phone, else email. */
const contactRef = (input) => {
  if (input.contact_uuid) return { uuid: input.contact_uuid };
  if (input.phone) return { phone: input.phone };
  if (input.email) return { email: input.email };
  return {};
};

/** Finds a contact by uuid, phone or email; null when there is none. */
const findContact = async (z, bundle, { uuid, phone, email }) => {
  const get = async (path) => {
    const response = await z.request({ url: `${baseUrl(bundle)}${path}`, skipThrowForStatus: true });
    if (response.status === 404) return null;
    response.throwForStatus();
    return response.data.contact;
  };
  if (uuid) return get(`/v1/contacts/${encodeURIComponent(uuid)}`);
  if (phone) return get(`/v1/contacts/phone/${encodeURIComponent(phone)}`);
  if (email) {
    const page = await api(z, bundle, 'GET', '/v1/contacts', undefined, { q: email, limit: 100 });
    return page.contacts.find((c) => (c.email || '').toLowerCase() === email.toLowerCase()) || null;
  }
  return null;
};

/** Turns Zapier's line-item style "key" dictionaries into plain objects (empty values dropped). */
const dict = (value) => Object.fromEntries(Object.entries(value || {}).filter(([, v]) => v !== undefined && v !== ''));

module.exports = { addApiKey, api, baseUrl, contactRef, dict, findContact };
