// `--sandbox` and `hb demo`: the connector's own simulator, started in-process from
// the package's `testing` entry (`startSandbox`), so no network is needed.
import type { Sandbox, StartSandbox } from './contracts.js';
import type { InstalledConnector, ModuleImporter } from './discovery.js';
import { CliError } from './errors.js';

/** Loads `startSandbox` from a connector's `testing` entry; a clear error when it has none. */
export async function loadStartSandbox(
  connector: InstalledConnector,
  importer: ModuleImporter,
): Promise<StartSandbox> {
  const name = connector.descriptor.name;
  if (connector.testingEntry === undefined) {
    throw new CliError({
      exchange: name,
      what: 'no simulator',
      detail: `${connector.packageName} exports no testing entry`,
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importer(connector.testingEntry);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new CliError({
      exchange: name,
      what: `cannot load the simulator of ${connector.packageName}`,
      detail: msg,
    });
  }
  const start = mod['startSandbox'];
  if (typeof start !== 'function') {
    throw new CliError({
      exchange: name,
      what: 'no simulator',
      detail: `${connector.packageName}/testing exports no startSandbox function`,
    });
  }
  return start as StartSandbox;
}

/** Checks a connector's sandbox at run time: the CLI trusts only shapes it verified. */
export function assertSandbox(exchange: string, s: unknown): Sandbox {
  const ok =
    typeof s === 'object' &&
    s !== null &&
    typeof (s as Sandbox).endpoints?.restUrl === 'string' &&
    typeof (s as Sandbox).endpoints?.wsUrl === 'string' &&
    typeof (s as Sandbox).credentials === 'object' &&
    typeof (s as Sandbox).stop === 'function' &&
    typeof (s as Sandbox).startActivity === 'function' &&
    typeof (s as Sandbox).stopActivity === 'function' &&
    Array.isArray((s as Sandbox).tradingPairs);
  if (!ok)
    throw new CliError({
      exchange,
      what: 'simulator did not start',
      detail: 'startSandbox returned an unexpected value',
    });
  return s as Sandbox;
}
