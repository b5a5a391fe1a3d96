// Shared YAML for the extension tests (a pools file, a Services file, a cluster state file).
export const POOLS = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: prod
  namespace: metallb-system
spec:
  addresses:
    - 192.168.10.0/24
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lab
  namespace: metallb-system
spec:
  addresses:
    - 10.20.0.10-10.20.0.19
`;

export const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerIP: 192.168.10.20
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations:
    metallb.io/address-pool: prod
spec:
  type: LoadBalancer
  ports:
    - port: 443
`;

/** The Services of the cluster state, each holding an IP in its status. */
export const STATE_SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  ports:
    - port: 80
status:
  loadBalancer:
    ingress:
      - ip: 192.168.10.20
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: LoadBalancer
  ports:
    - port: 443
status:
  loadBalancer:
    ingress:
      - ip: 192.168.10.1
---
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: infra
spec:
  type: LoadBalancer
  ports:
    - port: 53
status:
  loadBalancer:
    ingress:
      - ip: 10.20.0.12
`;

export const STATE = `${POOLS}---\n${STATE_SERVICES}`;

/** A multi-document file of `n` lines: pools and Services (for the re-lint benchmark). */
export function bigManifest(lines: number): string {
  const docs: string[] = [];
  let count = 0;
  let i = 0;
  while (count < lines) {
    const d =
      i % 10 === 0
        ? `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: pool-${i}\n  namespace: metallb-system\nspec:\n  addresses:\n    - 10.${Math.floor(i / 10) % 250}.${i % 250}.0/24\n`
        : `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ns-${i % 7}\n  annotations:\n    metallb.io/address-pool: pool-${i - (i % 10)}\n  labels:\n    app: svc-${i}\n    tier: web\nspec:\n  type: LoadBalancer\n  selector:\n    app: svc-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`;
    docs.push(d);
    count += d.split('\n').length;
    i++;
  }
  return docs.join('---\n');
}
