// Exec credential plugins as client-go runs them (k8s.io/client-go/plugin/pkg/client/auth/exec),
// not as client-node does (no KUBERNETES_EXEC_INFO, stdin never passed, stderr swallowed):
//  - KUBERNETES_EXEC_INFO carries an ExecCredential with spec.interactive (and spec.cluster when
//    provideClusterInfo is set);
//  - interactive = stdin is a terminal and interactiveMode allows it; Always without a terminal is
//    an error before the plugin runs;
//  - the plugin's stderr goes straight to the user's terminal (login prompts, device codes);
//  - stdin is handed over only when interactive.
// The credential is cached for this process until its expirationTimestamp.
import { spawn } from 'node:child_process';
import { LiveError } from './errors.js';
import type { ClusterInfo, ExecConfig } from './kubeconfig.js';

export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

export class ExecPluginError extends LiveError {
  constructor(message: string) {
    super(message, undefined, undefined, true);
  }
}

const DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';
const SUPPORTED = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

export interface ExecOptions {
  /** Whether stdin is a terminal (process.stdin.isTTY by default). */
  stdinIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where the plugin's stderr goes: 'inherit' (the user's terminal, default) or a callback. */
  stderr?: 'inherit' | ((chunk: string) => void);
}

export function isInteractive(exec: ExecConfig, stdinIsTTY: boolean): boolean {
  const mode = exec.interactiveMode ?? 'IfAvailable';
  if (mode === 'Never') return false;
  if (mode === 'Always' && !stdinIsTTY) {
    throw new ExecPluginError(`exec plugin cannot support interactive mode: standard input is not a terminal (interactiveMode is Always for ${exec.command})`);
  }
  return stdinIsTTY;
}

/** The ExecCredential put in KUBERNETES_EXEC_INFO. */
export function execInfo(exec: ExecConfig, interactive: boolean, cluster?: ClusterInfo): string {
  const spec: Record<string, unknown> = { interactive };
  if (exec.provideClusterInfo && cluster) {
    spec.cluster = {
      server: cluster.server,
      'tls-server-name': cluster.tlsServerName,
      'insecure-skip-tls-verify': cluster.insecureSkipTLSVerify || undefined,
      'certificate-authority-data': cluster.caData,
      'proxy-url': cluster.proxyUrl,
    };
  }
  return JSON.stringify({ apiVersion: exec.apiVersion || 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec });
}

export async function runExecPlugin(exec: ExecConfig, cluster: ClusterInfo | undefined, o: ExecOptions = {}): Promise<ExecCredentialStatus> {
  if (exec.apiVersion && !SUPPORTED.includes(exec.apiVersion)) {
    throw new ExecPluginError(`exec plugin: invalid apiVersion "${exec.apiVersion}" (supported: ${SUPPORTED.join(', ')})`);
  }
  const interactive = isInteractive(exec, o.stdinIsTTY ?? !!process.stdin.isTTY);
  const env: NodeJS.ProcessEnv = { ...(o.env ?? process.env) };
  for (const e of exec.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = execInfo(exec, interactive, cluster);
  const stderrMode = o.stderr ?? 'inherit';
  const { code, stdout, spawnError } = await new Promise<{ code: number | null; stdout: string; spawnError?: NodeJS.ErrnoException }>((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(exec.command, exec.args, { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', stderrMode === 'inherit' ? 'inherit' : 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout: '', spawnError: e as NodeJS.ErrnoException });
      return;
    }
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    if (typeof stderrMode === 'function') child.stderr!.setEncoding('utf8').on('data', stderrMode);
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, stdout: out, spawnError: e }));
    child.on('close', (c) => resolve({ code: c, stdout: out }));
  });
  if (spawnError) {
    if (spawnError.code === 'ENOENT') {
      throw new ExecPluginError(
        `getting credentials: exec: executable ${exec.command} not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      ${DOCS}${exec.installHint ? `\n\n${exec.installHint}` : ''}`,
      );
    }
    throw new ExecPluginError(`getting credentials: exec: ${spawnError.message}`);
  }
  if (code !== 0) throw new ExecPluginError(`getting credentials: exec: executable ${exec.command} failed with exit code ${code}`);
  let cred: { apiVersion?: string; kind?: string; status?: ExecCredentialStatus };
  try {
    cred = JSON.parse(stdout);
  } catch {
    throw new ExecPluginError(`getting credentials: decoding stdout: the output of ${exec.command} is not an ExecCredential (JSON)`);
  }
  if (cred.kind !== 'ExecCredential') throw new ExecPluginError(`getting credentials: exec: ${exec.command} returned kind "${cred.kind ?? ''}", want ExecCredential`);
  if (exec.apiVersion && cred.apiVersion !== exec.apiVersion) {
    throw new ExecPluginError(`getting credentials: exec plugin is configured to use API version ${exec.apiVersion}, plugin returned version ${cred.apiVersion ?? '<none>'}`);
  }
  const st = cred.status ?? {};
  if (!st.token && !(st.clientCertificateData && st.clientKeyData)) {
    throw new ExecPluginError(`getting credentials: exec: ${exec.command} returned no status.token and no client certificate`);
  }
  return st;
}

/** Credentials from one plugin, reused until they expire (client-go keeps them in memory too). */
export class ExecCredentialCache {
  private cached?: ExecCredentialStatus;
  private pending?: Promise<ExecCredentialStatus>;

  constructor(
    private readonly exec: ExecConfig,
    private readonly cluster: ClusterInfo | undefined,
    private readonly o: ExecOptions = {},
  ) {}

  private fresh(): boolean {
    if (!this.cached) return false;
    const exp = this.cached.expirationTimestamp;
    return !exp || Date.parse(exp) > Date.now() + 10_000;
  }

  async get(forceRefresh = false): Promise<ExecCredentialStatus> {
    if (!forceRefresh && this.fresh()) return this.cached!;
    this.pending ??= runExecPlugin(this.exec, this.cluster, this.o).finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached;
  }
}
