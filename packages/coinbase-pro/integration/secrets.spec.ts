// Secrets cannot be printed: every public object of the connector, built with a
// known secret and passphrase, is inspected, stringified and logged; neither shows.
import { inspect } from 'node:util';
import { Credentials, HbError } from '@hb/core/connector';
import { Cleanup, demoAccount } from '@hb/testing';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import { CoinbaseProAuth } from '../src/coinbase-pro-auth.js';
import { CoinbaseProFeed } from '../src/coinbase-pro-feed.js';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';
import { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProUserStreamDataSource } from '../src/coinbase-pro-user-stream-data-source.js';
import { CoinbaseProUserStreamTracker } from '../src/coinbase-pro-user-stream-tracker.js';
import { coinbaseProTestMarketOptions } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const RAW_SECRET = 'hostile-raw-secret-bytes-0123456789-abcdefghijklmnopqrstuvwxyz!!';
const SECRET = Buffer.from(RAW_SECRET).toString('base64');
const PASSPHRASE = 'hostilePASSPHRASEvalue42';

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
    json = (e as Error).message;
  }
  return [
    inspect(x, { depth: 6, showHidden: true }),
    inspect(x, { depth: 12 }),
    json,
    String(x),
    ...logged,
  ].join('\n');
}

function leaks(out: string): string | undefined {
  for (const s of [SECRET, RAW_SECRET, PASSPHRASE])
    if (out.includes(s)) return s === PASSPHRASE ? 'passphrase' : 'secret';
  return undefined;
}

describe('coinbase-pro: secrets cannot be printed', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('no public object shows the secret or passphrase: market, API client, auth, feed, trackers, errors, account handle', async () => {
    const sim = await startSimulator(cleanup, { demoAccount: { apiSecret: SECRET, passphrase: PASSPHRASE } });
    const account = demoAccount(sim);
    expect(account.passphrase).toBe(PASSPHRASE);
    const options = coinbaseProTestMarketOptions(sim);
    expect(options.apiSecret).toBe(SECRET);
    expect(options.passphrase).toBe(PASSPHRASE);

    const market = new CoinbaseProMarket(options);
    const objects: Record<string, unknown> = { account, unstartedMarket: market, api: market.api };
    const api = new CoinbaseProApiClient({
      restUrl: sim.restUrl,
      credentials: { apiKey: account.apiKey, apiSecret: SECRET, passphrase: PASSPHRASE },
    });
    objects['standaloneApi'] = api;
    const credentials = new Credentials({ apiKey: account.apiKey, secret: SECRET, passphrase: PASSPHRASE });
    objects['credentials'] = credentials;
    const auth = new CoinbaseProAuth({ credentials, serverTime: Date.now });
    objects['auth'] = auth;
    const feed = new CoinbaseProFeed({ wsUrl: sim.wsUrl, auth });
    cleanup.add(() => feed.close());
    objects['feed'] = feed;
    objects['bookDataSource'] = new CoinbaseProOrderBookDataSource(api, feed);
    const userSource = new CoinbaseProUserStreamDataSource({
      wsUrl: sim.wsUrl,
      auth,
      tradingPairs: ['BTC-USD'],
    });
    objects['userStreamDataSource'] = userSource;
    objects['userStreamTracker'] = new CoinbaseProUserStreamTracker(userSource);

    cleanup.add(() => market.stop());
    await market.start();
    await market.waitUntilReady(10_000);
    objects['startedMarket'] = market;
    objects['book'] = market.getOrderBook(options.tradingPairs[0]!);

    const wrong = new CoinbaseProMarket({ ...options, passphrase: `${PASSPHRASE}-wrong` });
    cleanup.add(() => wrong.stop());
    objects['authError'] = await wrong.start().then(
      () => wrong.pollNow().then(() => undefined),
      (e: unknown) => e,
    );
    objects['wrongMarket'] = wrong;

    // A malformed (non-base64) secret is a typed authentication error that does not quote it.
    let notBase64: unknown;
    try {
      new CoinbaseProAuth({
        credentials: new Credentials({ apiKey: 'k', secret: `${PASSPHRASE}!!`, passphrase: PASSPHRASE }),
        serverTime: Date.now,
      });
    } catch (e) {
      notBase64 = e;
    }
    expect(notBase64).toBeInstanceOf(HbError);
    expect((notBase64 as HbError).reason).toBe('authentication');
    objects['notBase64Error'] = notBase64;

    for (const [name, value] of Object.entries(objects)) {
      const leaked = leaks(printed(value));
      if (leaked) throw new Error(`${name} prints the ${leaked}`);
    }
    expect(leaks(printed(objects))).toBeUndefined();
  });
});
