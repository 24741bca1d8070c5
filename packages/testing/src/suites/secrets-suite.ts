// "Secrets cannot be printed", written once for every connector: each public
// object of the connector, built with a known secret (and passphrase), is
// inspected, stringified and logged, and neither ever shows. The suite builds
// the objects every connector has (the account handle, credentials, a market
// before and after start, its book and tracking states, the error of a refused
// key, the errors of malformed keys); the adapter adds its own (API client,
// signer, data sources, trackers).
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Credentials, HbError, type Market } from '@hb/core';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import { Cleanup, demoAccount } from '../util/test-helpers.js';

/** The keys the suite builds everything with. */
export interface SuiteKeys {
  readonly apiSecret: string;
  readonly passphrase?: string;
}

/** The account handle of a simulator's demo account, as far as the suite reads it. */
interface DemoAccount {
  readonly apiKey: string;
  readonly apiSecret?: string;
  readonly passphrase?: string;
}

/** What {@link SecretsSuiteAdapter.connectorObjects} gets to build with. */
export interface SecretsSuiteContext<S, M> {
  readonly sim: S;
  /** The (unstarted) market on the demo account. */
  readonly market: M;
  readonly apiKey: string;
  readonly keys: SuiteKeys;
  /** The suite's `Credentials` from `apiKey` and `keys`. */
  readonly credentials: Credentials;
  /** Runs after the test: close sockets and stop trackers here. */
  readonly cleanup: Cleanup;
}

/** A connector's side of {@link describeSecretsSuite}. */
export interface SecretsSuiteAdapter<S extends SimulatorBase, M extends Market> {
  /** Connector name, in the test titles. */
  readonly name: string;
  /** A known secret (and passphrase, where the exchange has one) in the exchange's format. */
  readonly keys: SuiteKeys;
  /** Other texts that count as the secret too (the decoded bytes of a base64 secret). */
  readonly alsoSecret?: readonly string[];
  /** Starts a simulator whose demo account holds `keys` (the suite stops it). */
  startSimulator(keys: SuiteKeys): Promise<S>;
  /** A market on the demo account; `keys` overrides its secret or passphrase. */
  createMarket(sim: S, keys?: Partial<SuiteKeys>): M;
  /** Keys the exchange refuses (default: the secret with `-wrong` appended). */
  readonly wrongKeys?: Partial<SuiteKeys>;
  /** Every other public object of the connector, built on the suite's keys, by name. */
  connectorObjects(
    context: SecretsSuiteContext<S, M>,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Calls with a malformed credential, by name: each must throw a typed
   * `authentication` error, and the error must not show the secret either.
   */
  readonly malformedCredentials: Readonly<Record<string, (sim: S, keys: SuiteKeys) => unknown>>;
}

/** Every way a user or a logger might print `x`: inspect, JSON, String, console.log. */
export function printedForms(x: unknown): string {
  const logged: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
  });
  try {
    console.log(x);
    console.log('%o', x);
  } finally {
    spy.mockRestore();
  }
  let json = '';
  try {
    json = JSON.stringify(x) ?? '';
  } catch (e) {
    // Circular structures cannot be JSON: the error message must not leak either.
    json = (e as Error).message;
  }
  return [
    inspect(x, { depth: 6, showHidden: true, getters: false }),
    inspect(x, { depth: 12 }),
    json,
    String(x),
    ...logged,
  ].join('\n');
}

/** Registers the secrets test of one connector (one Jest test). */
export function describeSecretsSuite<S extends SimulatorBase, M extends Market>(
  adapter: SecretsSuiteAdapter<S, M>,
): void {
  const { keys } = adapter;
  const needles: [string, string][] = [
    [keys.apiSecret, 'secret'],
    ...(adapter.alsoSecret ?? []).map((s): [string, string] => [s, 'secret']),
    ...(keys.passphrase === undefined ? [] : [[keys.passphrase, 'passphrase'] as [string, string]]),
  ];
  const leaked = (out: string): string | undefined => needles.find(([s]) => out.includes(s))?.[1];
  const what = keys.passphrase === undefined ? 'the secret' : 'the secret or passphrase';

  describe(`${adapter.name}: secrets cannot be printed`, () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    it(`no public object shows ${what}: account handle, credentials, market (before and after start), book, errors, and every connector object`, async () => {
      const sim = await adapter.startSimulator(keys);
      cleanup.add(() => sim.stop());
      const account = demoAccount(sim) as unknown as DemoAccount;
      expect(account.apiSecret).toBe(keys.apiSecret);
      if (keys.passphrase !== undefined) expect(account.passphrase).toBe(keys.passphrase);

      const market = adapter.createMarket(sim);
      const credentials = new Credentials({
        apiKey: account.apiKey,
        secret: keys.apiSecret,
        ...(keys.passphrase === undefined ? {} : { passphrase: keys.passphrase }),
      });
      const objects: Record<string, unknown> = { account, credentials, unstartedMarket: market };
      Object.assign(
        objects,
        await adapter.connectorObjects({ sim, market, apiKey: account.apiKey, keys, credentials, cleanup }),
      );

      cleanup.add(() => market.stop());
      await market.start();
      await market.waitUntilReady(10_000);
      objects['startedMarket'] = market;
      objects['book'] = market.getOrderBook(market.tradingPairs[0]!);
      objects['trackingStates'] = market.trackingStates;
      objects['liveStatus'] = market.liveStatus;

      // A refused key: the error the user sees, and the market holding it.
      const wrong = adapter.createMarket(sim, adapter.wrongKeys ?? { apiSecret: `${keys.apiSecret}-wrong` });
      cleanup.add(() => wrong.stop());
      objects['authError'] = await wrong.start().then(
        () => wrong.pollNow().then(() => undefined),
        (e: unknown) => e,
      );
      objects['wrongMarket'] = wrong;

      for (const [name, call] of Object.entries(adapter.malformedCredentials)) {
        let error: unknown;
        try {
          call(sim, keys);
        } catch (e) {
          error = e;
        }
        expect({ name, error }).toMatchObject({ name, error: expect.any(HbError) });
        expect((error as HbError).reason).toBe('authentication');
        objects[`${name}Error`] = error;
      }

      for (const [name, value] of Object.entries(objects)) {
        const shown = leaked(printedForms(value));
        if (shown !== undefined) throw new Error(`${name} prints the ${shown}`);
      }
      expect(leaked(printedForms(objects))).toBeUndefined();
    });
  });
}
