// The continue token read from the start of a list page (kubectl-plugin/src/live/listHead.ts), so
// the next page is asked for while this one is still arriving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { continueFromHead } from '../../kubectl-plugin/src/live/listHead.js';

const page = '{"kind":"ServiceList","apiVersion":"v1","metadata":{"resourceVersion":"4711","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDcxMX0","remainingItemCount":4500},"items":[{"metadata":{"name":"a"}}]}';

test('a built-in list: the token once the items key has arrived, not before', () => {
  const at = page.indexOf('"items":');
  assert.equal(continueFromHead(page.slice(0, at)), undefined, 'still waiting');
  assert.equal(continueFromHead(page.slice(0, at + 3)), undefined, 'half a key is not the key');
  assert.deepEqual(continueFromHead(page.slice(0, at + 9)), { token: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDcxMX0' });
  assert.deepEqual(continueFromHead(page), continueFromHead(page.slice(0, at + 9)));
});

test('the last page (no continue), a custom resource list (metadata after the items), a head that does not parse', () => {
  assert.deepEqual(continueFromHead('{"kind":"ServiceList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}'), { token: undefined });
  assert.deepEqual(continueFromHead('{"apiVersion":"metallb.io/v1beta1","items":[],"kind":"IPAddressPoolList","metadata":{"continue":"x"}}'), { token: undefined });
  assert.deepEqual(continueFromHead('{"kind":"ServiceList",garbage"items":['), {});
});

test('an items key inside a string is escaped, so it is never taken for the list\'s own', () => {
  const text = '{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"continue":"t"},"items":[{"data":{"x":"\\"items\\":"}}]}';
  assert.deepEqual(continueFromHead(text), { token: 't' });
});
