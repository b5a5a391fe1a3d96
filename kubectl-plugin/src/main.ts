// `kubectl lb` (binary kubectl-lb): the offline commands over the lbguard core. Every error ends as
// one `error: …` line on stderr and exit code 2; LBGUARD_DEBUG=1 adds the stack.
import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, InputError, UsageError } from './errors.js';
import { VERSION } from './version.js';
import { LiveError, formatLiveError } from './live/errors.js';
import { useFastTextOrder } from './textOrder.js';

/**
 * Every command in help order, each behind a dynamic import: a run loads (and initialises) only
 * the modules of the command it runs — lint never touches the status, simulation or live code
 * (nor node:http/https) — while help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  lint: async () => (await import('./commands/lint.js')).lintCommand(),
  status: async () => (await import('./commands/status.js')).statusCommand(),
  explain: async () => (await import('./commands/explain.js')).explainCommand(),
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand(),
  plan: async () => (await import('./commands/plan.js')).planCommand(),
  snapshot: async () => (await import('./live/snapshot.js')).snapshotCommand(),
  release: async () => (await import('./live/release.js')).releaseCommand(),
};

/**
 * The commands a run needs: the one argv names (the program itself takes no flags but --help and
 * --version), none for --version, else all (help, an unknown command and its suggestion).
 */
function commandsFor(argv: string[]): string[] {
  const first = argv[2];
  if (first === '--version') return [];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

function configure(cmd: Command): Command {
  return cmd
    .exitOverride()
    .showHelpAfterError(`(run "kubectl lb ${cmd.name() === 'lb' ? '' : `${cmd.name()} `}--help" for usage)`)
    .configureOutput({ outputError: (str, write) => write(str) });
}

/** The program with the named commands (default: all), enough to parse and run any of them. */
export async function buildProgram(names: string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = configure(new Command('lb'))
    .usage('<command> [flags]')
    .description(
      'lbguard: keep Kubernetes LoadBalancer IPs from moving, vanishing or colliding on bare-metal clusters (MetalLB, Harvester).\nPut flags after the command: kubectl lb lint -o json manifests/',
    )
    .version(`lbguard ${VERSION}`, '--version', 'print the version')
    .helpCommand(false)
    .addHelpText(
      'after',
      `
Examples:
  kubectl lb lint manifests/
  kubectl lb status --state cluster-state.yaml
  kubectl lb explain default/web --state cluster-state.yaml
  kubectl lb simulate -f pools.yaml -f services/
  kubectl lb plan --from HEAD --to pools.yaml --state cluster-state.yaml

Exit codes: 0 ok, 1 findings/problems at or above --fail-on (plan: an IP moves or is lost), 2 usage error or unreadable input.
Docs: https://github.com/lbguard/lbguard/blob/main/docs/cli.md`,
    );
  program.name('kubectl lb');
  for (const sub of await Promise.all(names.map((name) => COMMANDS[name]()))) program.addCommand(configure(sub));
  return program;
}

function fail(message: string, e?: unknown): void {
  process.stderr.write(`error: ${message}\n`);
  if (process.env.LBGUARD_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = EXIT_USAGE;
}

/**
 * Runs `listener` when process.stdout is first created, not before: creating it for a pipe loads
 * net and stream, which the commands' own output skips (io/stdout.ts); commander's help and the
 * live commands still write to it.
 */
function whenStdoutCreated(listener: (stdout: NodeJS.WriteStream) => void): void {
  const node = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!node?.get || !node.configurable) {
    listener(process.stdout);
    return;
  }
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: node.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', node); // Node's own getter again (it keeps the stream)
      const stdout = process.stdout;
      listener(stdout);
      return stdout;
    },
  });
}

export async function main(argv: string[]): Promise<void> {
  // Names and messages sorted without loading ICU's collation when the locale allows (textOrder.ts).
  useFastTextOrder();
  // A reader that went away (`kubectl lb lint | head`) ends the run quietly.
  whenStdoutCreated((stdout) =>
    stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    }),
  );
  const program = await buildProgram(commandsFor(argv));
  if (argv.length <= 2) {
    program.outputHelp();
    process.exitCode = EXIT_OK;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) ? EXIT_OK : EXIT_USAGE;
    } else if (e instanceof LiveError) {
      process.stderr.write(formatLiveError(e));
      process.exitCode = EXIT_USAGE;
    } else if (e instanceof UsageError || e instanceof InputError) {
      fail(e.message, e);
    } else {
      const err = e as Error;
      fail(`internal error: ${err?.message ?? String(e)}. This is a bug in lbguard; please report it${process.env.LBGUARD_DEBUG === '1' ? '' : ' (set LBGUARD_DEBUG=1 for details)'}.`, e);
    }
  }
}

void main(process.argv);
