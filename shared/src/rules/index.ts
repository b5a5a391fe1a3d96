// Every rule lbguard ships, by id. One module per rule; adding a rule adds one line here.
// Order does not matter: findings are sorted by position.
import type { Rule } from '../lint/rule.js';
import { rule as cidrEditReassigns } from './cidr-edit-reassigns.js';
import { rule as deprecatedAnnotationPrefix } from './deprecated-annotation-prefix.js';
import { rule as deprecatedLoadBalancerIP } from './deprecated-loadbalancerip.js';
import { rule as dualStackNoPool } from './dualstack-no-pool.js';
import { rule as harvesterPoolOverlap } from './harvester-pool-overlap.js';
import { rule as harvesterRangeInvalid } from './harvester-range-invalid.js';
import { rule as harvesterReleaseAnnotationInvalid } from './harvester-release-annotation-invalid.js';
import { rule as ipFamilyMismatch } from './ip-family-mismatch.js';
import { rule as lbClassIgnored } from './lb-class-ignored.js';
import { rule as loadBalancerIPConflict } from './loadbalancerip-conflict.js';
import { rule as poolExhausted } from './pool-exhausted.js';
import { rule as poolHostBits } from './pool-host-bits.js';
import { rule as poolInvalidAddress } from './pool-invalid-address.js';
import { rule as poolNetworkAddress } from './pool-network-address.js';
import { rule as poolNeverAutoAssigned } from './pool-never-auto-assigned.js';
import { rule as poolOverlap } from './pool-overlap.js';
import { rule as poolRandomChoice } from './pool-random-choice.js';
import { rule as poolWrongNamespace } from './pool-wrong-namespace.js';
import { rule as requestedIPOutsidePools } from './requested-ip-outside-pools.js';
import { rule as requestedIPTaken } from './requested-ip-taken.js';
import { rule as requestedIPWrongPool } from './requested-ip-wrong-pool.js';

export const ALL_RULES: Rule[] = [
  cidrEditReassigns,
  deprecatedAnnotationPrefix,
  deprecatedLoadBalancerIP,
  dualStackNoPool,
  harvesterPoolOverlap,
  harvesterRangeInvalid,
  harvesterReleaseAnnotationInvalid,
  ipFamilyMismatch,
  lbClassIgnored,
  loadBalancerIPConflict,
  poolExhausted,
  poolHostBits,
  poolInvalidAddress,
  poolNetworkAddress,
  poolNeverAutoAssigned,
  poolOverlap,
  poolRandomChoice,
  poolWrongNamespace,
  requestedIPOutsidePools,
  requestedIPTaken,
  requestedIPWrongPool,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
