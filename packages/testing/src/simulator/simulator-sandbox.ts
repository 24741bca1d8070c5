// The part of a connector's sandbox (`hb --sandbox`, `hb demo`) that does not depend
// on the exchange: warm the book up with seeded activity, then hand out the
// endpoints, keys and activity switches in core's `Sandbox` shape.

import type { ConnectorCredentials, Sandbox } from '@hb/core';
import type { SimulatorBase } from './simulator-base.js';

/** A running sandbox: core's `Sandbox` with its typed keys and the simulator itself. */
export interface SimulatorSandbox<S extends SimulatorBase, C extends ConnectorCredentials> extends Sandbox {
  /** Where the simulator listens: pass as `restUrl` / `wsUrl` endpoint overrides. */
  readonly endpoints: { readonly restUrl: string; readonly wsUrl: string };
  /** The funded account's keys. */
  readonly credentials: C;
  /** The simulator, for callers that want its truth accessors and fault knobs. */
  readonly simulator: S;
}

/** Options of {@link sandboxOf}. */
export interface SandboxOfOptions {
  /** Seed of the synthetic activity. */
  readonly seed: number;
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
}

/**
 * Wraps a started simulator whose account `credentials` is funded as a sandbox:
 * runs `warmupSteps` of activity on every market now; `startActivity` keeps the
 * markets moving (every 150 ms unless told otherwise); `stop` stops the simulator.
 */
export function sandboxOf<S extends SimulatorBase, C extends ConnectorCredentials>(
  simulator: S,
  credentials: C,
  options: SandboxOfOptions,
): SimulatorSandbox<S, C> {
  const activity = simulator.activity(options.seed);
  activity.step(options.warmupSteps ?? 300);
  return {
    endpoints: { restUrl: simulator.restUrl, wsUrl: simulator.wsUrl },
    credentials,
    tradingPairs: simulator.tradingPairs,
    simulator,
    startActivity: (intervalMs = 150) => activity.start(intervalMs),
    stopActivity: () => activity.stop(),
    stop: () => simulator.stop(),
  };
}
