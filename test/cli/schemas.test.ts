// The documented JSON Schemas (docs/schemas/) match what the binary prints. ajv comes in through a
// dev dependency (@vscode/vsce); if it is ever missing the test is skipped, not failed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ensureBuilt, ROOT, run } from './helpers.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
let compile: ((schema: object) => Validate) | undefined;

function loadAjv(): typeof compile {
  try {
    const require = createRequire(import.meta.url);
    const Ajv2020 = require('ajv/dist/2020').default;
    return (schema: object) => new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  } catch {
    return undefined;
  }
}

const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'docs/schemas', name), 'utf8'));

describe('JSON Schemas', () => {
  before(() => {
    ensureBuilt();
    compile = loadAjv();
  });

  test('lint -o json validates against docs/schemas/lint.schema.json', (t) => {
    if (!compile) return t.skip('ajv not installed');
    const validate = compile(schema('lint.schema.json'));
    for (const args of [['examples/manifests'], ['examples/manifests', '--show-suppressed'], ['examples/cluster-state.yaml'], ['examples/manifests/app.yaml']]) {
      const doc = JSON.parse(run(['lint', ...args, '-o', 'json']).stdout);
      assert.ok(validate(doc), `${args.join(' ')}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
  });

  test('status -o json validates against docs/schemas/status.schema.json', (t) => {
    if (!compile) return t.skip('ajv not installed');
    const validate = compile(schema('status.schema.json'));
    for (const v of ['0.13.10', '0.14.8', '0.16.1', '0.12']) {
      const doc = JSON.parse(run(['status', '--state', 'examples/cluster-state.yaml', '-o', 'json', '--metallb-version', v]).stdout);
      assert.ok(validate(doc), `${v}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
  });

  test('the schemas reject a wrong document (they are not vacuous)', (t) => {
    if (!compile) return t.skip('ajv not installed');
    const lintV = compile(schema('lint.schema.json'));
    assert.equal(lintV({ version: 1, tool: 'lbguard', metallbVersion: '0.16.1', findings: [{ rule: 'x', severity: 'fatal' }], summary: {} }), false);
    const statusV = compile(schema('status.schema.json'));
    assert.equal(statusV({ schemaVersion: 1, metallb: {}, pools: [], ips: [], services: [], problems: [], summary: {} }), false);
  });
});
