import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startBeckon, waitFor, type TestBeckon } from './helpers.ts';

/** A raw client socket that records what the server sent and whether the server closed it. */
interface RawClient {
  socket: Socket;
  received: () => string;
  closed: () => boolean;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((ready, fail) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => (closed = true));
    socket.once('connect', () => ready({ socket, received: () => received, closed: () => closed }));
    socket.once('error', fail);
  });
}

/** Writes `text` one byte at a time, `everyMs` apart, until the server closes the socket (never finishing on its own). */
function dribble(client: RawClient, text: string, everyMs: number): () => void {
  let at = 0;
  const timer = setInterval(() => {
    if (client.closed() || !client.socket.writable) return clearInterval(timer);
    client.socket.write(text[at % text.length]);
    at++;
  }, everyMs);
  return () => clearInterval(timer);
}

async function listen(beckon: TestBeckon): Promise<number> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return (beckon.runtime.app.server.address() as AddressInfo).port;
}

const SHORT = { BECKON_HEADERS_TIMEOUT_MS: '400', BECKON_REQUEST_TIMEOUT_MS: '800', BECKON_KEEP_ALIVE_TIMEOUT_MS: '400' };

test('slow clients: slowloris sockets are answered 408 and dropped while others are served', async (t) => {
  const beckon = await startBeckon({ ...SHORT, BECKON_HEADERS_TIMEOUT_MS: '1500', BECKON_REQUEST_TIMEOUT_MS: '1500' });
  t.after(() => beckon.stop());
  const port = await listen(beckon);
  const base = `http://127.0.0.1:${port}`;
  const loris = await Promise.all(Array.from({ length: 40 }, () => rawClient(port)));
  const stops = loris.map((client) => {
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: beckon\r\n');
    // an endless header line, one byte at a time: the request never completes unless the server gives up
    return dribble(client, 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 25);
  });
  t.after(() => stops.forEach((stop) => stop()));

  // while the slow sockets are open and dribbling, others are served; and still once they are gone
  let servedWhileOpen = 0;
  const deadline = Date.now() + 15_000;
  while (loris.some((client) => !client.closed()) && Date.now() < deadline) {
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    const contacts = await fetch(`${base}/v1/contacts`, { headers: { authorization: `Bearer ${beckon.key}` } });
    assert.equal(contacts.status, 200);
    if (loris.some((client) => !client.closed())) servedWhileOpen++;
  }
  assert.ok(servedWhileOpen > 0, 'no request was served while the slow sockets were open');
  assert.ok(loris.every((client) => client.closed()), 'the slow sockets were never dropped');
  for (const client of loris) assert.match(client.received(), /^HTTP\/1\.1 408 /);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('slow clients: a body sent too slowly is answered 408 and dropped', async (t) => {
  const beckon = await startBeckon(SHORT);
  t.after(() => beckon.stop());
  const port = await listen(beckon);
  const client = await rawClient(port);
  client.socket.write(`POST /v1/contacts HTTP/1.1\r\nHost: beckon\r\nAuthorization: Bearer ${beckon.key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"`);
  const stop = dribble(client, 'a', 25);
  t.after(stop);
  await waitFor('the slow body to be dropped', async () => client.closed());
  assert.match(client.received(), /^HTTP\/1\.1 408 /);
  const list = await beckon.call('GET', '/v1/contacts');
  assert.deepEqual(list.json().contacts, []);
});

test('slow clients: an idle keep-alive connection is closed by the server', async (t) => {
  const beckon = await startBeckon(SHORT);
  t.after(() => beckon.stop());
  const port = await listen(beckon);
  const client = await rawClient(port);
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: beckon\r\nConnection: keep-alive\r\n\r\n');
  await waitFor('the answer', async () => client.received().includes('"ok"'));
  assert.match(client.received(), /^HTTP\/1\.1 200 /);
  assert.match(client.received(), /keep-alive/i);
  // the client sends nothing more and never closes: the server does
  await waitFor('the idle connection to be closed', async () => client.closed());
});

test('slow clients: connections beyond BECKON_MAX_CONNECTIONS are closed at once, and served again once one frees', async (t) => {
  const beckon = await startBeckon({ BECKON_MAX_CONNECTIONS: '3' });
  t.after(() => beckon.stop());
  const port = await listen(beckon);
  const held = await Promise.all(Array.from({ length: 3 }, () => rawClient(port)));
  for (const client of held) {
    // a full keep-alive request: once answered, the server has surely accepted and counted the connection
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: beckon\r\n\r\n');
    await waitFor('the answer', async () => client.received().includes('"ok"'));
  }
  const extra = await rawClient(port);
  extra.socket.write('GET /healthz HTTP/1.1\r\nHost: beckon\r\n\r\n');
  await waitFor('the extra connection to be closed', async () => extra.closed());
  assert.equal(extra.received(), '');
  assert.ok(held.every((client) => !client.closed()));

  held[0].socket.destroy();
  const served = await waitFor('a new connection to be served', async () => {
    const client = await rawClient(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: beckon\r\nConnection: close\r\n\r\n');
    await waitFor('the connection to end', async () => client.closed());
    return client.received().startsWith('HTTP/1.1 200') ? client.received() : null;
  });
  assert.match(served, /"ok"/);
  for (const client of held) client.socket.destroy();
});

test('slow clients: the limits are validated as configuration', async () => {
  const { loadConfig, ConfigError } = await import('../src/config.ts');
  const config = loadConfig({ BECKON_HEADERS_TIMEOUT_MS: '5000', BECKON_MAX_CONNECTIONS: '50' });
  assert.equal(config.headersTimeoutMs, 5000);
  assert.equal(config.requestTimeoutMs, 30000);
  assert.equal(config.keepAliveTimeoutMs, 72000);
  assert.equal(config.maxConnections, 50);
  assert.throws(() => loadConfig({ BECKON_HEADERS_TIMEOUT_MS: '5000', BECKON_REQUEST_TIMEOUT_MS: '1000' }), ConfigError);
  assert.throws(() => loadConfig({ BECKON_MAX_CONNECTIONS: '0' }), /BECKON_MAX_CONNECTIONS/);
  assert.throws(() => loadConfig({ BECKON_KEEP_ALIVE_TIMEOUT_MS: 'soon' }), /BECKON_KEEP_ALIVE_TIMEOUT_MS/);
});
