import { startCluster } from './cluster.ts';
import { startMetalLB } from './metallb.ts';
import { crdDir } from './paths.ts';
import * as k8s from '@kubernetes/client-node';
const v = process.argv[2];
const c = await startCluster({ keep: true });
console.log('dir', c.dir);
try {
  await c.ensureMetalLBNamespace();
  await c.applyCRDs(crdDir(v));
  await c.applyYaml(`
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: p1, namespace: metallb-system}
spec: {addresses: [192.168.10.0/30]}
---
apiVersion: v1
kind: Service
metadata: {name: s1, namespace: default}
spec: {type: LoadBalancer, ports: [{port: 80}]}
`);
  const t0 = Date.now();
  const m = await startMetalLB(c, v);
  console.log('metallb started in', Date.now() - t0, m.args);
  const core = c.kubeConfig().makeApiClient(k8s.CoreV1Api);
  for (let i = 0; i < 120; i++) {
    const s = await core.readNamespacedService({ name: 's1', namespace: 'default' });
    if (s.status?.loadBalancer?.ingress?.length) { console.log('ingress', JSON.stringify(s.status.loadBalancer.ingress), Date.now() - t0); break; }
    await new Promise(r => setTimeout(r, 250));
  }
  await m.restart();
  console.log('restarted ok');
  await m.stop();
} finally { await c.stop(); }
