// Exchange-independent helpers of integration tests: a cleanup list, waits that
// never assert on timing, event-log shorthands and a started market with its log.
// Nothing here imports Jest, so it is safe in the main entry.

import type { Market, MarketEvent } from '@hb/core';
import { EventLog } from '../conformance/event-log.js';
import type { SimRequestLogEntry } from '../simulator/simulator-types.js';

/** Things to close after a test, closed last-in first-out. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  /** Registers a closing step. */
  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs every step (even if one fails) and forgets them. */
  async run(): Promise<void> {
    const steps = this.steps.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch {
        // Closing is best effort: one failing step must not leave the others open.
      }
    }
  }
}

/** Polls `predicate` every 10 ms; throws (naming `what`) when it has not held within `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Waits until the simulator has received `count` more REST requests than it had when called
 * (only `apiKey`'s, when given). A market with its poll loop running has then gone round
 * that loop again after the work just finished, so whatever it would still send or emit
 * for that work has been sent: the condition to wait for before asserting that something
 * did not happen (a second request, a doubled fill or event), instead of a grace period.
 */
export async function waitForLaterRequests(
  sim: { requestLog(): readonly SimRequestLogEntry[] },
  what: string,
  opts: { apiKey?: string; count?: number; timeoutMs?: number } = {},
): Promise<void> {
  const { apiKey, count = 2, timeoutMs = 10_000 } = opts;
  const mark = sim.requestLog().at(-1);
  const later = (): number => {
    const log = sim.requestLog();
    // A mark dropped from the bounded log means more requests came than it keeps.
    const from = mark === undefined ? 0 : log.lastIndexOf(mark) + 1;
    return log.slice(from).filter((r) => apiKey === undefined || r.apiKey === apiKey).length;
  };
  await waitFor(`${count} more requests to the simulator (${what})`, () => later() >= count, timeoutMs);
}

/** Resolves after `ms` (to let messages arrive, never as an assertion). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves on the next turn of the event loop (after pending I/O callbacks). */
export function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** The event types of one order, in emission order. */
export function typesOf(log: EventLog, clientOrderId: string): MarketEvent['type'][] {
  return log.forOrder(clientOrderId).map((e) => e.type);
}

/** Whether the log holds an event of `type` for the order. */
export function has(log: EventLog, clientOrderId: string, type: MarketEvent['type']): boolean {
  return log.forOrder(clientOrderId).some((e) => e.type === type);
}

/** A simulator's demo account; throws when it was started without one. */
export function demoAccount<A>(sim: { readonly demoAccount: A | undefined }): A {
  if (sim.demoAccount === undefined) throw new Error('the simulator was started without the demo account');
  return sim.demoAccount;
}

/**
 * Starts `market` with an event log and waits until it is ready; `cleanup` stops
 * both. The log subscribes before the start, so no event is missed.
 */
export async function startLoggedMarket<M extends Market>(
  cleanup: Cleanup,
  market: M,
  readyTimeoutMs = 10_000,
): Promise<{ market: M; log: EventLog }> {
  const log = new EventLog(market);
  cleanup.add(() => market.stop());
  cleanup.add(() => log.stop());
  await market.start();
  await market.waitUntilReady(readyTimeoutMs);
  return { market, log };
}

/**
 * Market options for tests against a simulator: short polls, reconnects and
 * timeouts, so recoveries happen within a test (never asserted on).
 */
export const FAST_TEST_MARKET_OPTIONS = {
  reconnectMinDelayMs: 20,
  reconnectMaxDelayMs: 200,
  fastPollIntervalMs: 200,
  slowPollIntervalMs: 1_000,
  userStreamSilenceMs: 2_000,
  requestTimeoutMs: 2_000,
} as const;

/**
 * The part of a CEX market's options that is the same on every simulator: its
 * endpoints, its demo account's key and secret, and {@link FAST_TEST_MARKET_OPTIONS}.
 * A connector adds its pairs and whatever else its exchange needs (a passphrase).
 */
export function simulatorMarketOptions(sim: {
  readonly demoAccount: { readonly apiKey: string; readonly apiSecret: string } | undefined;
  readonly restUrl: string;
  readonly wsUrl: string;
}): { apiKey: string; apiSecret: string; restUrl: string; wsUrl: string } & typeof FAST_TEST_MARKET_OPTIONS {
  const account = demoAccount(sim);
  return {
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    ...FAST_TEST_MARKET_OPTIONS,
  };
}

/** Credential fields a live suite can ask for, and their env var suffixes (as the `hb` CLI reads them). */
const LIVE_ENV_SUFFIX = { apiKey: 'API_KEY', apiSecret: 'API_SECRET', passphrase: 'PASSPHRASE' } as const;

/** What {@link liveCredentials} found. */
export interface LiveCredentials<F extends keyof typeof LIVE_ENV_SUFFIX> {
  /** The values, empty strings where unset (use only when `missing` is empty). */
  readonly credentials: Readonly<Record<F, string>>;
  /** Variables still to set, `HB_LIVE=1` first; empty when the live suite may run. */
  readonly missing: readonly string[];
}

/**
 * Reads a live suite's switches from the environment: `HB_LIVE=1` and
 * `HB_<EXCHANGE>_<FIELD>` (exchange upper-cased, dashes as underscores). Live
 * suites run only when `missing` is empty and otherwise register one skipped test
 * naming it; the values never go into a title or message.
 */
export function liveCredentials<F extends keyof typeof LIVE_ENV_SUFFIX>(
  exchange: string,
  fields: readonly F[],
  env: NodeJS.ProcessEnv = process.env,
): LiveCredentials<F> {
  const prefix = `HB_${exchange.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const credentials = {} as Record<F, string>;
  const missing: string[] = env['HB_LIVE'] === '1' ? [] : ['HB_LIVE=1'];
  for (const f of fields) {
    const name = `${prefix}${LIVE_ENV_SUFFIX[f]}`;
    credentials[f] = env[name] ?? '';
    if (credentials[f] === '') missing.push(name);
  }
  return { credentials, missing };
}

/** The two constructors a shared suite's adapter takes (`describeMarketSuite`, the tracker suites). */
export interface SimulatorFactories<S, MO, M extends Market> {
  /** A simulator with the connector's test defaults and the demo account, its activity seeded by `seed` (the caller stops it). */
  startSimulator(seed: number): Promise<S>;
  /** A market on the simulator's demo account (not started). */
  createMarket(sim: S, overrides?: Partial<MO>): M;
}

/**
 * A connector's integration-test set-up from its two constructors: `simulator`
 * (the simulator with the connector's test defaults) and `market` (a market on
 * the simulator's demo account). Gives `startSimulator(cleanup, options)` (stopped
 * by the cleanup), `startMarket(cleanup, sim, overrides)` (started, ready, with
 * an event log, stopped by the cleanup) and the same constructors as a shared
 * suite's adapter takes them (`factories`).
 */
export function simulatorTestEnv<
  S extends { stop(): Promise<void> },
  SO extends { readonly seed?: number },
  MO,
  M extends Market,
>(make: {
  readonly simulator: (options?: SO) => Promise<S>;
  readonly market: (sim: S, overrides?: Partial<MO>) => M;
}): {
  startSimulator(cleanup: Cleanup, options?: SO): Promise<S>;
  startMarket(cleanup: Cleanup, sim: S, overrides?: Partial<MO>): Promise<{ market: M; log: EventLog }>;
  readonly factories: SimulatorFactories<S, MO, M>;
} {
  return {
    factories: {
      // `simulator` takes no options at all, so each of its options is optional: `{ seed }` is one.
      startSimulator: (seed) => make.simulator({ seed } as SO),
      createMarket: make.market,
    },
    async startSimulator(cleanup, options) {
      const sim = await make.simulator(options);
      cleanup.add(() => sim.stop());
      return sim;
    },
    startMarket: (cleanup, sim, overrides) => startLoggedMarket(cleanup, make.market(sim, overrides)),
  };
}

/** The key fields of a simulator's demo account (the secrets read by name: printing the handle masks them). */
export interface DemoKeys {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string;
}

/**
 * A REST client on the simulator's demo key, `overrides` replacing the secret or
 * passphrase (a refused key), its clock synced to the simulator's: signatures
 * are timed. `create` builds the connector's client from the keys.
 */
export async function syncedDemoClient<
  S extends { readonly demoAccount: unknown },
  C extends { syncTime(): Promise<unknown> },
>(
  sim: S,
  create: (sim: S, keys: DemoKeys) => C,
  overrides: Partial<Omit<DemoKeys, 'apiKey'>> = {},
): Promise<C> {
  const account = demoAccount(sim as { readonly demoAccount: Partial<DemoKeys> | undefined });
  const keys: DemoKeys = {
    apiKey: account.apiKey ?? '',
    apiSecret: overrides.apiSecret ?? account.apiSecret ?? '',
    ...((overrides.passphrase ?? account.passphrase) === undefined
      ? {}
      : { passphrase: overrides.passphrase ?? account.passphrase }),
  };
  const client = create(sim, keys);
  await client.syncTime();
  return client;
}
