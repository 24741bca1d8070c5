// Secrets cannot be printed: every public object of the connector, built with a
// known secret, is inspected, stringified and logged; the secret never shows.
import { inspect } from 'node:util';
import { Credentials, HbError } from '@hb/core/connector';
import { Cleanup, demoAccount } from '@hb/testing';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { BinanceAuth } from '../src/binance-auth.js';
import { BinanceMarket } from '../src/binance-market.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import { BinanceUserStreamDataSource } from '../src/binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from '../src/binance-user-stream-tracker.js';
import { marketOptions, startSimulator } from './helpers/sim-env.js';

const SECRET = 'Zk9hostileSECRETvalue0123456789abcdefXYZ';

/** Every way a user or a logger might print `x`. */
function printed(x: unknown): string {
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

describe('binance: secrets cannot be printed', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('no public object shows the secret: market (before and after start), API client, auth, trackers, data sources, errors, account handle', async () => {
    const sim = await startSimulator(cleanup, { demoAccount: { apiSecret: SECRET } });
    const account = demoAccount(sim);
    expect(account.apiSecret).toBe(SECRET);
    const options = marketOptions(sim);
    expect(options.apiSecret).toBe(SECRET);

    const market = new BinanceMarket(options);
    const objects: Record<string, unknown> = { account, unstartedMarket: market };
    objects['api'] = market.api;
    objects['auth'] = market.api.signer;
    objects['standaloneApi'] = new BinanceApiClient({
      restUrl: sim.restUrl,
      credentials: { apiKey: account.apiKey, apiSecret: SECRET },
    });
    const credentials = new Credentials({ apiKey: account.apiKey, secret: SECRET });
    objects['credentials'] = credentials;
    const auth = new BinanceAuth({ credentials, serverTime: Date.now });
    objects['standaloneAuth'] = auth;
    const userSource = new BinanceUserStreamDataSource({ wsApiUrl: `${sim.wsUrl}/ws-api/v3`, auth });
    objects['userStreamDataSource'] = userSource;
    objects['userStreamTracker'] = new BinanceUserStreamTracker(userSource);
    objects['bookDataSource'] = new BinanceOrderBookDataSource({
      api: market.api,
      context: () => Promise.reject(new Error('unused')),
    });

    cleanup.add(() => market.stop());
    await market.start();
    await market.waitUntilReady(10_000);
    objects['startedMarket'] = market;
    objects['book'] = market.getOrderBook('BTC-USDT');
    objects['trackingStates'] = market.trackingStates;

    // Errors: a market with the wrong secret, and a refused credential.
    const wrong = new BinanceMarket({ ...options, apiSecret: `${SECRET}-wrong` });
    cleanup.add(() => wrong.stop());
    const authError = await wrong.start().then(
      () => wrong.pollNow().then(() => undefined),
      (e: unknown) => e,
    );
    objects['authError'] = authError;
    objects['wrongMarket'] = wrong;
    let emptySecret: unknown;
    try {
      new BinanceApiClient({ restUrl: sim.restUrl, credentials: { apiKey: 'k', apiSecret: '' } });
    } catch (e) {
      emptySecret = e;
    }
    expect(emptySecret).toBeInstanceOf(HbError);
    expect((emptySecret as HbError).reason).toBe('authentication');
    objects['emptySecretError'] = emptySecret;

    for (const [name, value] of Object.entries(objects)) {
      const out = printed(value);
      if (out.includes(SECRET)) throw new Error(`${name} prints the secret`);
    }
    expect(printed(objects).includes(SECRET)).toBe(false);
  });
});
