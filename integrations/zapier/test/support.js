'use strict';
const http = require('node:http');

/** The Beckon server under test (the root test/zapier.test.ts starts one on loopback and passes these). */
const BASE_URL = process.env.BECKON_URL;
const API_KEY = process.env.BECKON_KEY;

/** Calls Beckon's API directly (setting up and checking results, beside the app). */
const beckon = async (method, path, body) => {
  const response = await fetch(`${BASE_URL}${path}`, {
    method, headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
};

/** Like beckon() but throws unless the status is the expected one; answers the JSON. */
const ok = async (status, method, path, body) => {
  const r = await beckon(method, path, body);
  if (r.status !== status) throw new Error(`${method} ${path} answered ${r.status}, expected ${status}: ${JSON.stringify(r.json)}`);
  return r.json;
};

/** A loopback HTTP receiver standing in for hooks.zapier.com: keeps each POST (path, headers, parsed body). */
const startReceiver = async () => {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const hit = { path: req.url, headers: req.headers, body: JSON.parse(data) };
      received.push(hit);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  /** Waits for a delivery to `path` whose body passes `match`. */
  const next = (path, match = () => true, timeoutMs = 15000) => new Promise((resolve, reject) => {
    const check = () => {
      const hit = received.find((h) => h.path === path && match(h.body));
      if (!hit) return false;
      clearTimeout(timer);
      waiters.splice(waiters.indexOf(check), 1);
      resolve(hit);
      return true;
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(check), 1);
      reject(new Error(`no delivery to ${path} within ${timeoutMs} ms; got ${JSON.stringify(received.map((h) => [h.path, h.body.event]))}`));
    }, timeoutMs);
    waiters.push(check);
    check();
  });
  return { url, received, next, close: () => new Promise((resolve) => server.close(resolve)) };
};

module.exports = { API_KEY, BASE_URL, beckon, ok, startReceiver };
