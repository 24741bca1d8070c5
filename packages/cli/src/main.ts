// The `hb` entry point (bin/hb.js imports this file): parse, run one command,
// clean up (close sockets and the sandbox; never cancel an order), and return
// the exit status. Every failure becomes one line on stderr.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParsedCommand } from './args.js';
import { runDemo } from './commands/demo.js';
import { runBook, runExchanges, runTrades } from './commands/market-data.js';
import { runConnect } from './commands/connect.js';
import { runCandles, runMyTrades, runTicker } from './commands/rest-data.js';
import { runSandboxServe } from './commands/serve.js';
import { runBalance, runCancel, runCancelAll, runOrder, runOrders } from './commands/trading.js';
import { HiddenPrompt, type PromptIo } from './prompt.js';
import { secretValuesInEnv } from './credentials.js';
import {
  findConnectorCandidates,
  importModule,
  loadConnectors,
  type ConnectorLoadFailure,
  type InstalledConnector,
  type ModuleImporter,
} from './discovery.js';
import { CliError, EXIT_INTERRUPTED, exitCodeFor, formatErrorLine } from './errors.js';
import { Output, type TextSink } from './output.js';
import type { CliContext } from './session.js';

/** What {@link main} runs with (the process's, unless a test passes its own). */
export interface MainOptions {
  readonly stdout?: TextSink;
  readonly stderr?: TextSink;
  /** Where hidden prompts read answers (default process.stdin). */
  readonly stdin?: PromptIo['input'];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly importer?: ModuleImporter;
  /** Folders to scan for connectors (default: the CLI's own location and the cwd). */
  readonly searchDirs?: readonly string[];
  /** Whether to handle SIGINT/SIGTERM (default true). */
  readonly handleSignals?: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));

function cliVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(HERE, '..', 'package.json'), 'utf8'));
    const v = (pkg as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Runs `hb` with `argv` (without `node` and the script); resolves to the exit status. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const parsed = parseArgs(argv, cliVersion());
  // Even help text goes through the scrubber: nothing the CLI prints may carry a key.
  const out = new Output(stdout, stderr, { json: parsed.kind === 'run' && parsed.command.options.json, env });
  out.addSecrets(secretValuesInEnv(env));
  if (parsed.kind === 'exit') {
    if (parsed.stdout !== '') stdout.write(out.scrub(parsed.stdout));
    if (parsed.stderr !== '')
      stderr.write(out.scrub(parsed.stderr.endsWith('\n') ? parsed.stderr : `${parsed.stderr}\n`));
    return parsed.code;
  }
  const command = parsed.command;

  let interrupted = false;
  let onInterrupt: () => void = () => undefined;
  const interruptedPromise = new Promise<void>((r) => (onInterrupt = r));
  const cleanups: (() => Promise<void> | void)[] = [];
  const importer = options.importer ?? importModule;
  let loaded: Promise<{ connectors: InstalledConnector[]; failures: ConnectorLoadFailure[] }> | undefined;
  let prompt: HiddenPrompt | undefined;
  const ctx: CliContext = {
    out,
    env,
    importer,
    connectors: () =>
      (loaded ??= loadConnectors(
        findConnectorCandidates(options.searchDirs ?? [options.cwd ?? process.cwd(), HERE]),
        importer,
      )),
    interrupted: interruptedPromise,
    isInterrupted: () => interrupted,
    onCleanup: (fn) => cleanups.push(fn),
    prompt: () => {
      if (prompt === undefined) {
        const created = new HiddenPrompt({ input: options.stdin ?? process.stdin, output: stderr });
        prompt = created;
        cleanups.push(() => created.close());
      }
      return prompt;
    },
  };

  const signalHandler = (): void => {
    if (interrupted) {
      // A second Ctrl-C: the user wants out now.
      out.close();
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    onInterrupt();
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGINT', signalHandler);
    process.on('SIGTERM', signalHandler);
  }

  let code: number;
  try {
    code = await dispatch(ctx, command);
  } catch (e) {
    code = exitCodeFor(e);
    if (!(e instanceof CliError && e.exitCode === EXIT_INTERRUPTED)) {
      const exchange = 'exchange' in command ? command.exchange : undefined;
      out.error(formatErrorLine(e, { exchange }));
    }
  } finally {
    out.clearStatus();
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // Cleanup is best effort: the command's outcome is already decided.
      }
    }
    out.close();
    if (handleSignals) {
      process.off('SIGINT', signalHandler);
      process.off('SIGTERM', signalHandler);
    }
  }
  return code;
}

function dispatch(ctx: CliContext, command: ParsedCommand): Promise<number> {
  switch (command.command) {
    case 'exchanges':
      return runExchanges(ctx, command);
    case 'book':
      return runBook(ctx, command);
    case 'trades':
      return runTrades(ctx, command);
    case 'balance':
      return runBalance(ctx, command);
    case 'order':
      return runOrder(ctx, command);
    case 'orders':
      return runOrders(ctx, command);
    case 'cancel':
      return runCancel(ctx, command);
    case 'cancel-all':
      return runCancelAll(ctx, command);
    case 'demo':
      return runDemo(ctx, command);
    case 'ticker':
      return runTicker(ctx, command);
    case 'candles':
      return runCandles(ctx, command);
    case 'my-trades':
      return runMyTrades(ctx, command);
    case 'connect':
      return runConnect(ctx, command);
    case 'sandbox-serve':
      return runSandboxServe(ctx, command);
  }
}
