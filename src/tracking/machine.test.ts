import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineOpen, machineUserAgent, MACHINE_OPEN_WINDOW_MS, sentAt } from './machine.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const CUBOT = 'Mozilla/5.0 (Linux; Android 12; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';

test('machine user agents: proxies, scanners, robots, libraries, empty and the bare Mozilla/5.0 of Apple Mail Privacy Protection', () => {
  for (const agent of [
    undefined, '', '  ', 'Mozilla/5.0', 'mozilla/5.0 ',
    'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Barracuda Sentinel (EE)', 'Mimecast-URL-Protect', 'curl/8.5.0', 'python-requests/2.32.3', 'Go-http-client/1.1',
  ]) assert.equal(machineUserAgent(agent), true, String(agent));
  for (const agent of [IPHONE, CUBOT, 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)']) {
    assert.equal(machineUserAgent(agent), false, agent);
  }
});

test('machine opens: within 5 s of being sent, or before it was sent; a person afterwards', () => {
  const history = JSON.stringify([{ status: 'enqueued', at: '2026-11-21T10:00:00.000Z' }, { status: 'sent', at: '2026-11-21T10:00:01.000Z' }, { status: 'delivered', at: '2026-11-21T10:00:09.000Z' }]);
  assert.equal(MACHINE_OPEN_WINDOW_MS, 5_000);
  assert.equal(sentAt(history), '2026-11-21T10:00:01.000Z');
  assert.equal(sentAt(JSON.stringify([{ status: 'enqueued', at: 'x' }, { status: 'delivered', at: '2026-11-21T10:00:02.000Z' }])), '2026-11-21T10:00:02.000Z');
  assert.equal(sentAt('[]'), undefined);
  assert.equal(machineOpen(IPHONE, history, '2026-11-21T10:00:05.999Z'), true);
  assert.equal(machineOpen(IPHONE, history, '2026-11-21T10:00:06.000Z'), false);
  assert.equal(machineOpen(IPHONE, history, '2026-11-21T10:00:00.500Z'), true, 'before it was sent');
  assert.equal(machineOpen(IPHONE, '[{"status":"enqueued","at":"2026-11-21T10:00:00.000Z"}]', '2026-11-21T11:00:00.000Z'), true, 'never sent');
  assert.equal(machineOpen('Mozilla/5.0', history, '2026-11-22T10:00:00.000Z'), true, 'Apple MPP a day later');
});
