// The steady view (simulate, plan) re-adopts every valid holder before anything allocates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { buildModel } from '../../shared/src/model/build.js';
import { simulate } from '../../shared/src/metallb/simulate.js';
import { yaml } from '../helpers/lintYaml.js';

const state = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata: {name: pool, namespace: metallb-system}
  spec: {addresses: [10.0.0.0/30]}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: a-stale, namespace: default}
  spec: {type: LoadBalancer, clusterIPs: [10.96.0.1], ports: [{port: 80}]}
  status: {loadBalancer: {ingress: [{ip: 192.168.9.9}]}}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: b-holder, namespace: default}
  spec: {type: LoadBalancer, clusterIPs: [10.96.0.2], ports: [{port: 80}]}
  status: {loadBalancer: {ingress: [{ip: 10.0.0.0}]}}
`;

for (const version of ['0.13.12', '0.14.8', '0.16.1']) {
  test(`${version}: a Service with an invalid status IP does not take a valid holder's IP in the settled view`, () => {
    const { model } = buildModel([parseManifestText(state, 'state.yaml')]);
    const r = simulate(model, { version });
    assert.deepEqual(r.services.get('default/b-holder')!.ips, ['10.0.0.0']);
    assert.deepEqual(r.services.get('default/a-stale')!.ips, ['10.0.0.1']);
    assert.equal(r.services.get('default/a-stale')!.reason, 'IPAllocated');
  });
}
