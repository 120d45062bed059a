import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllowList, assertPublicUrl, refusedReason } from './ssrf.ts';

test('refusedReason: only public unicast addresses pass, unless allowed', () => {
  const none = new AllowList([]);
  const refused = ['127.0.0.1', '127.9.9.9', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '240.0.0.1', '192.0.2.1', '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
    '::ffff:169.254.169.254', '64:ff9b::a00:1', '2002:a00:1::', '::7f00:1', '2001:db8::1'];
  for (const ip of refused) assert.ok(refusedReason(ip, none), `${ip} should be refused`);
  for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(refusedReason(ip, none), null, ip);
  assert.equal(refusedReason('169.254.169.254', none), '169.254.169.254 is in the linkLocal range');
  assert.equal(refusedReason('not-an-ip', none), 'not-an-ip is not an IP address');

  const loopback = new AllowList(['127.0.0.0/8', '::1/128']);
  assert.equal(refusedReason('127.0.0.1', loopback), null);
  assert.equal(refusedReason('::ffff:127.0.0.1', loopback), null);
  assert.equal(refusedReason('::1', loopback), null);
  assert.ok(refusedReason('10.0.0.1', loopback));
  assert.equal(refusedReason('10.1.2.3', new AllowList(['10.1.2.3'])), null);
  assert.throws(() => new AllowList(['nonsense']));
});

test('assertPublicUrl: scheme, resolution and every resolved address are checked', async () => {
  const none = new AllowList([]);
  await assert.rejects(assertPublicUrl('ftp://example.com/x', none), /only http and https URLs are accepted, not ftp/);
  await assert.rejects(assertPublicUrl('not a url', none), /not an absolute URL/);
  await assert.rejects(assertPublicUrl('http://localhost:8080/', none), /"localhost" resolves to a non-public address: (127\.0\.0\.1|::1) is in the loopback range/);
  await assert.rejects(assertPublicUrl('http://[::1]/', none), /loopback/);
  await assert.rejects(assertPublicUrl('http://beckon-test-host.invalid/', none), /the host "beckon-test-host.invalid" does not resolve/);
  assert.equal((await assertPublicUrl('https://93.184.216.34/hook', none)).hostname, '93.184.216.34');
  assert.equal((await assertPublicUrl('http://localhost/', new AllowList(['127.0.0.0/8', '::1/128']))).hostname, 'localhost');
});
