// Every problem id the status view itself emits (report.ts, liveProblems.ts); lint findings on the
// state keep their rule ids. Each id has a page at docs/rules/<id>.md (docsUrl), checked by
// test/unit/statusDocs.test.ts, which also checks this list against the ids the sources emit.
export const STATUS_PROBLEM_IDS = [
  'duplicate-ip',
  'harvester-duplicate-allocation',
  'harvester-invalid-release',
  'harvester-stale-allocation',
  'ip-outside-pools',
  'lb-class-unhandled',
  'loadbalancerip-fight',
  'no-active-pool',
  'pending-service',
  'restart-risk',
] as const;

export type StatusProblemId = (typeof STATUS_PROBLEM_IDS)[number];
