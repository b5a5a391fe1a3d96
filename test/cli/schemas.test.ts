// The documented JSON Schemas (docs/schemas/) match what the binary prints, and `-o sarif` is a
// valid SARIF 2.1.0 log per the official OASIS schema (shipped by @microsoft/jest-sarif).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ensureBuilt, ROOT, run } from './helpers.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const Ajv07 = require('ajv').default;
const compile = (schema: object): Validate => new Ajv2020({ allErrors: true, strict: false }).compile(schema);
// The official schema is draft-04; it uses no keyword whose meaning changed in draft-07 (no
// exclusiveMinimum/Maximum), so only the root `$schema`/`id` markers are adapted for ajv 8.
const { $schema: _draft04, id: schemaId, ...sarifSchemaBody } = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const sarifSchema = { $id: schemaId, ...sarifSchemaBody };

const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'docs/schemas', name), 'utf8'));

describe('JSON Schemas', () => {
  before(() => {
    ensureBuilt();
  });

  test('lint -o json validates against docs/schemas/lint.schema.json', () => {
    const validate = compile(schema('lint.schema.json'));
    for (const args of [['examples/manifests'], ['examples/manifests', '--show-suppressed'], ['examples/cluster-state.yaml'], ['examples/manifests/app.yaml']]) {
      const doc = JSON.parse(run(['lint', ...args, '-o', 'json']).stdout);
      assert.ok(validate(doc), `${args.join(' ')}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
  });

  test('status -o json validates against docs/schemas/status.schema.json', () => {
    const validate = compile(schema('status.schema.json'));
    for (const v of ['0.13.10', '0.14.8', '0.16.1', '0.12']) {
      const doc = JSON.parse(run(['status', '--state', 'examples/cluster-state.yaml', '-o', 'json', '--metallb-version', v]).stdout);
      assert.ok(validate(doc), `${v}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
  });

  test('the schemas reject a wrong document (they are not vacuous)', () => {
    const lintV = compile(schema('lint.schema.json'));
    assert.equal(lintV({ version: 1, tool: 'lbguard', metallbVersion: '0.16.1', findings: [{ rule: 'x', severity: 'fatal' }], summary: {} }), false);
    const statusV = compile(schema('status.schema.json'));
    assert.equal(statusV({ schemaVersion: 1, metallb: {}, pools: [], ips: [], services: [], problems: [], summary: {} }), false);
  });

  test('lint -o sarif validates against the official SARIF 2.1.0 schema', () => {
    const validate = new Ajv07({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    for (const args of [['examples/manifests'], ['examples/manifests', '--show-suppressed'], ['examples/cluster-state.yaml']]) {
      const log = JSON.parse(run(['lint', ...args, '-o', 'sarif']).stdout);
      assert.ok(log.runs[0].results.length > 0, 'the examples have findings, so results are validated too');
      assert.ok(validate(log), `${args.join(' ')}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false, 'the schema is not vacuous');
  });
});
