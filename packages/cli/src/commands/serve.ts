// `hb sandbox serve <exchange>`: the connector's simulator with synthetic activity,
// served until stopped, for other terminals' `--sandbox` commands.
import type { ParsedCommand } from '../args.js';
import { CliError, EXIT_INTERRUPTED } from '../errors.js';
import { assertSandbox, loadStartSandbox } from '../sandbox.js';
import { removeSandboxNote, writeSandboxNote } from '../sandbox-registry.js';
import { findConnector, type CliContext } from '../session.js';

type Cmd = Extract<ParsedCommand, { command: 'sandbox-serve' }>;

/**
 * Starts the simulator and its activity, leaves the note `--sandbox` commands
 * look for, prints one line with the URLs (a JSON object with `--json`) and
 * runs until interrupted; then removes the note and stops the simulator.
 */
export async function runSandboxServe(ctx: CliContext, cmd: Cmd): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const name = connector.descriptor.name;
  const start = await loadStartSandbox(connector, ctx.importer);
  ctx.out.status(`starting the ${name} simulator…`);
  let sandbox;
  try {
    sandbox = assertSandbox(name, await start({ seed: cmd.options.seed }));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError({
      exchange: name,
      what: 'simulator did not start',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  const running = sandbox;
  ctx.onCleanup(() => running.stop());
  ctx.out.addSecrets(Object.values(running.credentials).filter((v): v is string => typeof v === 'string'));
  running.startActivity();
  const pid = process.pid;
  const path = writeSandboxNote(ctx.env, {
    exchange: name,
    pid,
    restUrl: running.endpoints.restUrl,
    wsUrl: running.endpoints.wsUrl,
    ...(running.endpoints.rpcUrl !== undefined ? { rpcUrl: running.endpoints.rpcUrl } : {}),
    ...(running.endpoints.chainId !== undefined ? { chainId: running.endpoints.chainId } : {}),
    credentials: running.credentials,
    tradingPairs: running.tradingPairs,
    startedAt: Date.now(),
  });
  ctx.onCleanup(() => removeSandboxNote(ctx.env, name, pid));
  ctx.out.clearStatus();
  if (cmd.options.json) {
    ctx.out.record({
      type: 'sandbox',
      exchange: name,
      restUrl: running.endpoints.restUrl,
      wsUrl: running.endpoints.wsUrl,
      pairs: running.tradingPairs,
      pid,
      note: path,
    });
  } else {
    ctx.out.line(
      `${name} sandbox ready: rest ${running.endpoints.restUrl} ws ${running.endpoints.wsUrl} ` +
        `(pairs ${running.tradingPairs.join(', ')}); --sandbox commands use it until Ctrl-C`,
    );
  }
  await ctx.interrupted;
  return EXIT_INTERRUPTED;
}
