// `hb orders`, `hb cancel`, `hb cancel-all` through the `fetchOpenOrders` market
// method proposed for core, and discovery of a connector installed in the working
// directory's node_modules (not the CLI's): a fixture connector `acme` wraps the
// built Binance market and adds that one method.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BinanceSimulator } from '@hb/binance/testing';
import { ndjson, runCli } from './run-cli.js';

const API_KEY = 'acme-key-0c5d21';
const API_SECRET = 'acme-secret-93be4f';
const env = { HB_ACME_API_KEY: API_KEY, HB_ACME_API_SECRET: API_SECRET };

let sim: BinanceSimulator;
let urls: string[];
let dir: string;

/** A connector package in `<dir>/node_modules/@hb/acme`, built on the Binance dist. */
function writeFixtureConnector(root: string): void {
  const pkgDir = join(root, 'node_modules', '@hb', 'acme');
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify({
      name: '@hb/acme',
      version: '0.0.7',
      type: 'module',
      keywords: ['hb-connector'],
      exports: { '.': './index.js' },
    }),
  );
  const binance = pathToFileURL(join(__dirname, '..', '..', 'binance', 'dist', 'index.js')).href;
  const bignumber = pathToFileURL(require.resolve('bignumber.js')).href;
  writeFileSync(
    join(pkgDir, 'index.js'),
    `import BigNumber from '${bignumber}';
import { BinanceMarket, connector as base } from '${binance}';
const TYPES = { LIMIT: 'limit', LIMIT_MAKER: 'limit_maker', MARKET: 'market' };
class AcmeMarket extends BinanceMarket {
  async fetchOpenOrders(pair) {
    const symbols = await this.symbolMap();
    const rows = await this.api.openOrders(pair === undefined ? undefined : symbols.toSymbol(pair));
    return rows.map((r) => ({
      clientOrderId: r.clientOrderId, exchangeOrderId: String(r.orderId), tradingPair: symbols.toPair(r.symbol),
      side: r.side === 'SELL' ? 'sell' : 'buy', orderType: TYPES[r.type] ?? 'limit', price: new BigNumber(r.price),
      amount: new BigNumber(r.origQty), filledAmount: new BigNumber(r.executedQty),
      state: Number(r.executedQty) > 0 ? 'PARTIALLY_FILLED' : 'OPEN', timestamp: r.time,
    }));
  }
}
export const connector = {
  ...base, name: 'acme', displayName: 'Acme', version: '0.0.7',
  createMarket: ({ tradingPairs, credentials, endpoints }) => new AcmeMarket({
    tradingPairs, apiKey: credentials?.apiKey, apiSecret: credentials?.apiSecret, restUrl: endpoints?.restUrl, wsUrl: endpoints?.wsUrl,
  }),
};
`,
  );
}

beforeAll(async () => {
  sim = await BinanceSimulator.start({ seed: 41, depthMode: 'immediate' });
  sim.createAccount({ apiKey: API_KEY, apiSecret: API_SECRET, balances: { BTC: '1', USDT: '10000' } });
  sim.activity(41).step(100);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
  dir = mkdtempSync(join(tmpdir(), 'hb-cli-'));
  writeFixtureConnector(dir);
});

afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function place(side: 'buy' | 'sell', price: string): Promise<string> {
  const r = await runCli(
    ['order', 'acme', side, 'BTC-USDT', '0.001', '--price', price, '--json', ...urls],
    env,
    dir,
  );
  expect(r.code).toBe(0);
  return String(ndjson(r.stdout)[0]!['clientOrderId']);
}

describe('hb orders / cancel / cancel-all (connector discovered in the cwd)', () => {
  it('lists the connector found in the working directory', async () => {
    const r = await runCli(['exchanges', '--json'], {}, dir);
    expect(ndjson(r.stdout)).toContainEqual(
      expect.objectContaining({ name: 'acme', version: '0.0.7', package: '@hb/acme', sandbox: false }),
    );
  });

  it('lists open orders placed by earlier runs, cancels one, then all', async () => {
    const a = await place('buy', '25000');
    const b = await place('sell', '35000');
    const listed = await runCli(['orders', 'acme', 'BTC-USDT', '--json', ...urls], env, dir);
    expect(listed.code).toBe(0);
    const open = ndjson(listed.stdout);
    expect(open.map((o) => [o['clientOrderId'], o['side'], o['price'], o['amount'], o['state']])).toEqual([
      [a, 'buy', 25000, 0.001, 'OPEN'],
      [b, 'sell', 35000, 0.001, 'OPEN'],
    ]);

    const one = await runCli(['cancel', 'acme', 'BTC-USDT', a, '--json', ...urls], env, dir);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(ndjson(one.stdout)).toEqual([
      expect.objectContaining({ type: 'OrderCancelled', clientOrderId: a }),
    ]);
    expect(sim.orderByClientOrderId(API_KEY, a)?.status).toBe('cancelled');

    const all = await runCli(['cancel-all', 'acme', '--json', ...urls], env, dir);
    expect(all.code).toBe(0);
    expect(ndjson(all.stdout)).toEqual([
      expect.objectContaining({ type: 'OrderCancelled', clientOrderId: b }),
    ]);

    const none = await runCli(['orders', 'acme', ...urls], env, dir);
    expect(none.stdout).toBe('acme: no open orders\n');
  });

  it('cancelling an order that is not open is a clear failure', async () => {
    const r = await runCli(['cancel', 'acme', 'BTC-USDT', 'no-such-order', ...urls], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('hb: acme: order not found: no open order no-such-order on BTC-USDT\n');
  });
});
