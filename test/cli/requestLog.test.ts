// RequestLog (-v): which lines each level writes, and that credentials are masked whatever their scheme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskCredential, RequestLog } from '../../kubectl-plugin/src/live/requestLog.js';

test('an Authorization header keeps only its scheme; other headers are shown as sent', () => {
  assert.equal(maskCredential('Authorization', 'Bearer abc.def'), 'Bearer <masked>');
  assert.equal(maskCredential('authorization', 'Basic dXNlcjpwdw=='), 'Basic <masked>');
  assert.equal(maskCredential('Authorization', 'secret-without-scheme'), '<masked>');
  assert.equal(maskCredential('Impersonate-User', 'alice'), 'alice');
});

test('levels: nothing below 6, the answer at 6, headers from 7, a cut body from 8', () => {
  const url = new URL('https://k8s.example:6443/api/v1/services?limit=500');
  const headers = { Accept: 'application/json', Authorization: 'Bearer tok', 'Impersonate-Group': ['a', 'b'] };
  const body = `{"kind":"ServiceList",${'x'.repeat(2000)}}`;
  const run = (level: number) => {
    const out: string[] = [];
    const log = new RequestLog(level, (l) => out.push(l));
    log.sending('GET', url, headers);
    log.answered('GET', url, 200, 'OK', 12.4, body);
    log.failed('GET', url, 3, new Error('connect ECONNREFUSED'));
    return out;
  };
  assert.deepEqual(run(5), []);
  assert.deepEqual(run(6), [`GET ${url.href} 200 OK in 12 milliseconds`, `GET ${url.href}  in 3 milliseconds: connect ECONNREFUSED`]);
  const seven = run(7);
  assert.deepEqual(seven.slice(0, 6), [`GET ${url.href}`, 'Request Headers:', '    Accept: application/json', '    Authorization: Bearer <masked>', '    Impersonate-Group: a', '    Impersonate-Group: b']);
  assert.ok(!seven.some((l) => l.includes('tok') || l.startsWith('Response Body')));
  const eight = run(8).find((l) => l.startsWith('Response Body: '))!;
  assert.equal(eight, `Response Body: ${body.slice(0, 1024)} [truncated ${body.length - 1024} chars]`);
});
