// loadBalancerClass values that controllers other than MetalLB serve (Cilium, kube-vip, PureLB,
// LoxiLB, cloud providers…). One list for every check that asks "does someone else serve this
// class?": the lint rule lb-class-ignored, the Service helpers in rules/support/metallbService.ts
// and the status problem lb-class-unhandled.

/** loadBalancerClass prefixes (or, without a trailing slash, whole names) owned by other controllers. */
export const OTHER_CONTROLLER_CLASSES: readonly string[] = [
  'io.cilium/',
  'kube-vip.io/',
  'purelb.io/',
  'loxilb.io/',
  'service.k8s.aws/',
  'eks.amazonaws.com/',
  'networking.gke.io/',
  'tailscale',
  'cloud.google.com/',
  'k8s.digitalocean.com/',
  'openelb',
  'ngrok',
  'cloudflare',
];

/** The class belongs to a known controller other than MetalLB (a class naming MetalLB never does). */
export function isOtherAllocatorClass(cls: string): boolean {
  const c = cls.toLowerCase();
  if (c.includes('metallb')) return false;
  return OTHER_CONTROLLER_CLASSES.some((p) => c.startsWith(p) || c === p.replace(/\/$/, ''));
}
