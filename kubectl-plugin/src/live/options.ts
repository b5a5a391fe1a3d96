// kubectl's connection flags for the live commands (cli-runtime genericclioptions names).
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseDuration } from './client.js';
import type { KubeconfigFlags } from './kubeconfig.js';

export interface LiveFlags extends KubeconfigFlags {
  allNamespaces: boolean;
  selector?: string;
  requestTimeoutMs: number;
  chunkSize: number;
  /** kubectl's -v: 6 logs each request, 7 its headers too, 8 the start of each answer too; 0 none. */
  verbosity: number;
}

export const DEFAULT_CHUNK_SIZE = 500;

export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'path to the kubeconfig file to use (only this file; default: KUBECONFIG, else ~/.kube/config, else in-cluster)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--cluster <name>', 'the kubeconfig cluster to use (overrides the context)')
    .option('--user <name>', 'the kubeconfig user to use (overrides the context)')
    .option('--as <user>', 'username to impersonate for the operation: a user or a service account (system:serviceaccount:<namespace>:<name>)')
    .option('--as-group <group>', 'group to impersonate for the operation; repeat for several groups', (group: string, groups: string[] = []) => [...groups, group])
    .option('--as-uid <uid>', 'UID to impersonate for the operation')
    .option('-n, --namespace <namespace>', 'only Services (and their Events) in this namespace; pools are read cluster-wide')
    .option('-A, --all-namespaces', 'Services in all namespaces (the default; overrides -n)')
    .option('-l, --selector <selector>', "label selector for Services (e.g. app=web,tier!=cache), passed to the API server")
    .option('--request-timeout <duration>', 'give up on a single server request after this long (e.g. 1s, 2m; 0 = never)', '0')
    .addOption(new Option('--chunk-size <n>', 'list in pages of this many objects (0 = one request)').default(String(DEFAULT_CHUNK_SIZE)))
    .option('-v, --v <level>', "log API requests to stderr as kubectl's -v does: 6 = method, URL, status and time; 7 = also the request headers (credentials masked); 8 = also the start of each response body", '0');
}

export function liveFlags(opts: Record<string, unknown>): LiveFlags {
  let requestTimeoutMs: number;
  try {
    requestTimeoutMs = parseDuration(String(opts.requestTimeout ?? '0'));
  } catch (e) {
    throw new UsageError(`--request-timeout: ${(e as Error).message}`);
  }
  const chunk = Number(opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  if (!Number.isInteger(chunk) || chunk < 0) throw new UsageError(`--chunk-size: "${String(opts.chunkSize)}" is not a non-negative integer`);
  // kubectl writes -v=6; commander hands a short flag's `=6` over with its `=`.
  const level = String(opts.v ?? '0').replace(/^=/, '');
  if (!/^\d+$/.test(level)) throw new UsageError(`-v: "${String(opts.v)}" is not a log level (0-10; 6 logs each request)`);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    kubeconfig: str(opts.kubeconfig),
    context: str(opts.context),
    cluster: str(opts.cluster),
    user: str(opts.user),
    as: str(opts.as),
    asGroups: Array.isArray(opts.asGroup) ? opts.asGroup.map(String) : undefined,
    asUid: str(opts.asUid),
    namespace: str(opts.namespace),
    allNamespaces: opts.allNamespaces === true,
    selector: str(opts.selector),
    requestTimeoutMs,
    chunkSize: chunk,
    verbosity: Number(level),
  };
}

/** Whether a status-like command reads the live cluster (no --state). */
export function isLive(opts: Record<string, unknown>): boolean {
  return typeof opts.state !== 'string';
}
