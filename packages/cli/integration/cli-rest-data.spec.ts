// `hb ticker`, `hb candles`, `hb my-trades` and `hb connect` (keys stored encrypted,
// then used by other commands) against a Binance simulator on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinanceSimulator } from '@hb/binance/testing';
import { allOutput, ndjson, runCli } from './run-cli.js';

const API_KEY = 'cli-rest-key-5c1e22';
const API_SECRET = 'cli-rest-secret-9a7b3d41';
const PASSWORD = 'correct horse battery';
const env = { HB_BINANCE_API_KEY: API_KEY, HB_BINANCE_API_SECRET: API_SECRET };

let sim: BinanceSimulator;
let urls: string[];
let home: string;

beforeAll(async () => {
  sim = await BinanceSimulator.start({ seed: 31, depthMode: 'immediate' });
  sim.createAccount({ apiKey: API_KEY, apiSecret: API_SECRET, balances: { BTC: '2', USDT: '50000' } });
  sim.activity(31).step(150);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
  home = mkdtempSync(join(tmpdir(), 'hb-home-'));
});

afterAll(async () => {
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('hb ticker / candles / my-trades (real binary, simulator on loopback)', () => {
  it('ticker --json: one line with the pair, last price and the live top of book', async () => {
    const r = await runCli(['ticker', 'binance', 'BTC-USDT', '--json', ...urls]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [t, ...rest] = ndjson(r.stdout);
    expect(rest).toEqual([]);
    const { bids, asks } = sim.trueBook('BTC-USDT', 1);
    expect(t).toMatchObject({
      exchange: 'binance',
      tradingPair: 'BTC-USDT',
      bestBid: bids[0]![0],
      bestAsk: asks[0]![0],
    });
    expect(t!['lastPrice']).toEqual(expect.any(Number));
  });

  it('ticker (human): two lines', async () => {
    const r = await runCli(['ticker', 'binance', 'BTC-USDT', ...urls]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^binance BTC-USDT {2}last [\d.]+ {2}bid [\d.]+ {2}ask [\d.]+\n24h {2}open /);
  });

  it('candles --json --limit: OHLCV lines, oldest first, high >= low', async () => {
    const r = await runCli([
      'candles',
      'binance',
      'BTC-USDT',
      '--interval',
      '1m',
      '--limit',
      '2',
      '--json',
      ...urls,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(2);
    for (const c of lines) {
      expect(c).toMatchObject({ exchange: 'binance', tradingPair: 'BTC-USDT', interval: '1m' });
      expect(c['high'] as number).toBeGreaterThanOrEqual(c['low'] as number);
    }
  });

  it('my-trades --json: the fills of an order this account placed', async () => {
    const placed = await runCli(['order', 'binance', 'buy', 'BTC-USDT', '0.003', '--json', ...urls], env);
    expect(placed.code).toBe(0);
    const r = await runCli(['my-trades', 'binance', 'BTC-USDT', '--since', '1h', '--json', ...urls], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fills = ndjson(r.stdout);
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.reduce((a, f) => a + (f['amount'] as number), 0)).toBeCloseTo(0.003, 8);
    expect(fills[0]).toMatchObject({ exchange: 'binance', tradingPair: 'BTC-USDT', side: 'buy' });
  });

  it('order --round: the amount floored to the step and the price to the tick, below the best bid', async () => {
    const { bids } = sim.trueBook('BTC-USDT', 1);
    const price = `${(bids[0]![0] - 50).toFixed(2)}789`;
    const r = await runCli(
      ['order', 'binance', 'buy', 'BTC-USDT', '0.0012345', '--price', price, '--round', '--json', ...urls],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^hb: binance: rounded to amount 0\.00123 @ /);
    const [created] = ndjson(r.stdout);
    expect(created).toMatchObject({
      type: 'BuyOrderCreated',
      amount: 0.00123,
      price: Number(price.slice(0, -3)),
    });
  });

  it('my-trades without keys names the variables and hb connect', async () => {
    const r = await runCli(['my-trades', 'binance', 'BTC-USDT', ...urls], { HB_HOME: join(home, 'none') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hb: binance: missing API keys: set HB_BINANCE_API_KEY, HB_BINANCE_API_SECRET/);
  });
});

describe('hb connect (keys stored encrypted, used when the environment has none)', () => {
  it('stores the keys with mode 0600, never in clear, and other commands use them', async () => {
    const r = await runCli(
      ['connect', 'binance'],
      { HB_HOME: home },
      undefined,
      `${API_KEY}\n${API_SECRET}\n${PASSWORD}\n${PASSWORD}\n`,
    );
    expect(r.code).toBe(0);
    // Prompts on stderr, answers never echoed.
    expect(r.stderr).toContain('binance API key: ');
    expect(r.stderr).not.toContain(API_KEY);
    const file = join(home, 'keys', 'binance.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'keys')).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(API_SECRET);
    expect(JSON.parse(text)).toMatchObject({
      version: 1,
      kdf: { name: 'scrypt' },
      cipher: { name: 'aes-256-gcm' },
    });

    const balance = await runCli(['balance', 'binance', '--json', ...urls], {
      HB_HOME: home,
      HB_PASSWORD: PASSWORD,
    });
    expect(balance.stderr).toBe('');
    expect(balance.code).toBe(0);
    expect(ndjson(balance.stdout).map((b) => b['asset'])).toContain('USDT');
  });

  it('a wrong password is an authentication failure (exit 3); no password on a pipe says HB_PASSWORD', async () => {
    const wrong = await runCli(['balance', 'binance', ...urls], {
      HB_HOME: home,
      HB_PASSWORD: 'not the password',
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^hb: binance: stored keys not opened: wrong password/);
    const none = await runCli(['balance', 'binance', ...urls], { HB_HOME: home });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/stored keys need the password: set HB_PASSWORD/);
  });

  it('refuses a key file others can read', async () => {
    const file = join(home, 'keys', 'binance.json');
    chmodSync(file, 0o644);
    try {
      const r = await runCli(['balance', 'binance', ...urls], { HB_HOME: home, HB_PASSWORD: PASSWORD });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/stored keys refused: .* is readable by others/);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('no key, secret or password in any output', () => {
    for (const text of allOutput) {
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(PASSWORD);
    }
  });
});
