// parseKubeconfigText reads a kubeconfig with the fast reader when it can and with yaml otherwise:
// either way the value must be yaml's (YAML 1.1, as before), and text yaml refuses is still refused
// with its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { fastParseDocument } from '../../shared/src/manifest/fastParse.js';
import { KubeconfigError, parseKubeconfigText } from '../../kubectl-plugin/src/live/kubeconfig.js';

const PLAIN = `apiVersion: v1
kind: Config
current-context: admin@lbguard-test
preferences: {}
clusters:
- cluster:
    certificate-authority: /tmp/ca.crt
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: false
  name: lbguard-test
contexts:
- context:
    cluster: lbguard-test
    user: admin
    namespace: default
  name: admin@lbguard-test
users:
- name: admin
  user:
    token: 0123456789abcdef # a comment
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /usr/local/bin/plugin
      args: ["--flag", 'single', plain]
      env: [{name: A, value: "on"}]
      interactiveMode: Never
      provideClusterInfo: yes
`;

const CASES: Record<string, string> = {
  plain: PLAIN,
  'document start and end markers': `---\n${PLAIN}...\n`,
  'anchors and merge keys (yaml reads it)': 'base: &b {server: "https://a"}\nclusters:\n- name: c\n  cluster:\n    <<: *b\n',
  'YAML 1.1 scalars': 'a: on\nb: off\nc: 0x1F\nd: 1_000\ne: ~\nf: 2001-01-01\n',
  'empty file': '',
  'comments only': '# nothing here\n',
};

for (const [name, text] of Object.entries(CASES)) {
  test(`kubeconfig text is read as yaml reads it: ${name}`, () => {
    const expected = parse(text, { version: '1.1' }) ?? {};
    assert.deepEqual(parseKubeconfigText(text, 'kc'), expected);
  });
}

test('the plain kubeconfig takes the fast reader (the path that saves the start-up)', () => {
  assert.ok(fastParseDocument(PLAIN), 'fast reader accepts a plain kubeconfig');
});

test('text yaml refuses is refused the same way (duplicate keys, two documents, a list)', () => {
  for (const text of ['a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', 'key: [unclosed\n']) {
    let yamlMessage = '';
    try {
      parse(text, { version: '1.1' });
    } catch (e) {
      yamlMessage = (e as Error).message.split('\n')[0];
    }
    assert.ok(yamlMessage, text);
    assert.throws(() => parseKubeconfigText(text, 'kc'), (e: unknown) => e instanceof KubeconfigError && e.message === `error loading config file "kc": ${yamlMessage}`, text);
  }
  assert.throws(() => parseKubeconfigText('- a\n- b\n', 'kc'), /not a kubeconfig \(expected a mapping\)/);
});
