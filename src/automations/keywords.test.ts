import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkKeywords, foldText, matchesKeywords } from './keywords.ts';

test('keywords: exact, contains (whole words) and regex match case- and accent-insensitively', () => {
  assert.equal(foldText("  Horaires d'ÉTÉ \n"), "horaires d'ete");
  assert.equal(matchesKeywords('HORAIRES', { keywords: ['horaires', 'hours'], match: 'exact' }), true);
  assert.equal(matchesKeywords('horaires ?', { keywords: ['horaires'], match: 'exact' }), false);
  assert.equal(matchesKeywords('Quels sont vos horaires ?', { keywords: ['Horaires'], match: 'contains' }), true);
  assert.equal(matchesKeywords('Qu’en est-il de l’été', { keywords: ['ete'], match: 'contains' }), true);
  assert.equal(matchesKeywords('hoursly', { keywords: ['hours'], match: 'contains' }), false);
  assert.equal(matchesKeywords('Order #1234 status', { keywords: ['order #\\d+'], match: 'regex' }), true);
  assert.equal(matchesKeywords('no order here', { keywords: ['order #\\d+'], match: 'regex' }), false);
});

test('keywords: bad settings are field errors naming the keyword', () => {
  assert.deepEqual(checkKeywords(['ok', '', '('], 'regex', 'body.trigger'), [
    { path: 'body.trigger.keywords.1', message: 'must be a text of 1 to 200 characters' },
    { path: 'body.trigger.keywords.2', message: 'is not a regular expression: Invalid regular expression: /(/u: Unterminated group' },
  ]);
  assert.deepEqual(checkKeywords([], 'fuzzy', 'p'), [
    { path: 'p.match', message: 'must be one of exact, contains, regex' },
    { path: 'p.keywords', message: 'must be a list of 1 to 50 keywords' },
  ]);
});
