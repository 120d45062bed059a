import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { SecretBox } from '../lib/secret-box.ts';
import { newId } from '../lib/ids.ts';
import { listUnsubscribeUrl, MAC_BYTES, TokenSigner, TRACKING_KEY_INFO, trackingUrl } from './tokens.ts';

const key = Buffer.alloc(32, 7);
const box = new SecretBox(key);
const signer = TokenSigner.from(box);
const messageId = '01970000-0000-7000-8000-00000000abcd';

test('tokens round-trip: open, click (with its link id) and unsubscribe; each verifies only as its own kind', () => {
  const open = signer.sign({ kind: 'open', messageId });
  const click = signer.sign({ kind: 'click', messageId, linkId: 258 });
  const unsubscribe = signer.sign({ kind: 'unsubscribe', messageId });
  assert.deepEqual([open.length, click.length, unsubscribe.length], [39, 44, 39]);
  for (const token of [open, click, unsubscribe]) assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(signer.verify(open, 'open'), { kind: 'open', messageId });
  assert.deepEqual(signer.verify(click, 'click'), { kind: 'click', messageId, linkId: 258 });
  assert.deepEqual(signer.verify(unsubscribe, 'unsubscribe'), { kind: 'unsubscribe', messageId });
  assert.equal(signer.verify(open, 'unsubscribe'), null, 'an open token does not unsubscribe');
  assert.equal(signer.verify(unsubscribe, 'open'), null);
  assert.equal(signer.verify(open, 'click'), null);
  const fresh = newId();
  assert.equal(signer.verify(signer.sign({ kind: 'open', messageId: fresh }), 'open')!.messageId, fresh);
});

test('the layout: kind byte, message uuid, link id, then HMAC-SHA256 (key from HKDF of the secret key) truncated to 96 bits', () => {
  const click = Buffer.from(signer.sign({ kind: 'click', messageId, linkId: 3 }), 'base64url');
  const body = Buffer.concat([Buffer.from([0x12]), Buffer.from(messageId.replace(/-/g, ''), 'hex'), Buffer.from([0, 0, 0, 3])]);
  const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from(TRACKING_KEY_INFO), 32));
  assert.equal(MAC_BYTES, 12);
  assert.deepEqual(click, Buffer.concat([body, createHmac('sha256', derived).update(body).digest().subarray(0, 12)]));
  assert.notDeepEqual(derived, key, 'the tracking key is not the sealing key');
});

test('a tampered, truncated, extended, re-encoded or foreign token does not verify', () => {
  const token = signer.sign({ kind: 'click', messageId, linkId: 1 });
  const bytes = Buffer.from(token, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    const altered = Buffer.from(bytes);
    altered[i] ^= 0x01;
    assert.equal(signer.verify(altered.toString('base64url'), 'click'), null, `byte ${i} flipped`);
  }
  assert.equal(signer.verify(token.slice(0, -1), 'click'), null);
  assert.equal(signer.verify(token + 'A', 'click'), null);
  const open = signer.sign({ kind: 'open', messageId });
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sibling = open.slice(0, -1) + alphabet[alphabet.indexOf(open.at(-1)!) ^ 1];
  assert.deepEqual(Buffer.from(sibling, 'base64url'), Buffer.from(open, 'base64url'), 'the same bytes, spelt differently');
  assert.equal(signer.verify(sibling, 'open'), null, 'only the canonical spelling verifies (one token per message)');
  assert.equal(signer.verify('', 'click'), null);
  assert.equal(signer.verify('../../etc/passwd', 'click'), null);
  assert.equal(signer.verify('A'.repeat(5000), 'click'), null);
  assert.equal(new TokenSigner(randomBytes(32)).verify(token, 'click'), null, 'another deployment\'s key');
  const forged = Buffer.concat([bytes.subarray(0, 21), Buffer.alloc(12)]).toString('base64url');
  assert.equal(signer.verify(forged, 'click'), null);
});

test('tracking URLs hang off the public URL; List-Unsubscribe only for https campaign emails', () => {
  const url = trackingUrl('https://beckon.example.com/', box, { kind: 'unsubscribe', messageId });
  assert.equal(url, `https://beckon.example.com/u/${signer.sign({ kind: 'unsubscribe', messageId })}`);
  assert.equal(listUnsubscribeUrl('https://beckon.example.com', box, { id: messageId, campaign_id: 'c1', channel_type: 'email' }), url);
  assert.equal(listUnsubscribeUrl('http://localhost:3000', box, { id: messageId, campaign_id: 'c1', channel_type: 'email' }), undefined);
  assert.equal(listUnsubscribeUrl('https://beckon.example.com', box, { id: messageId, campaign_id: null, channel_type: 'email' }), undefined);
  assert.equal(listUnsubscribeUrl('https://beckon.example.com', box, { id: messageId, campaign_id: 'c1', channel_type: 'sms' }), undefined);
});
