// Live status through the real `hb` binary: Coinbase's channels as the exchange
// serves them (level 3 from `full` with keys, level 2 from `level2_batch` without),
// every book line saying whether it is live, trades with the taker side, auth
// errors that end the command, and `hb sandbox serve` shared by later commands.
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinanceSimulator } from '@hb/binance/testing';
import { CoinbaseProSimulator, DEMO_ACCOUNT, type CoinbaseSimActivity } from '@hb/coinbase-pro/testing';
import { ndjson, runCli, startCli, type CliProcess } from './run-cli.js';

const PAIR = 'BTC-USD';
const KEYS = {
  HB_COINBASE_PRO_API_KEY: DEMO_ACCOUNT.apiKey,
  HB_COINBASE_PRO_API_SECRET: DEMO_ACCOUNT.apiSecret,
  HB_COINBASE_PRO_PASSPHRASE: DEMO_ACCOUNT.passphrase,
};

/** Parsed NDJSON lines of a running CLI so far (complete lines only). */
function linesSoFar(stdout: string): Record<string, unknown>[] {
  const parts = stdout.split('\n');
  parts.pop();
  return parts.map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Collects a running CLI's stdout as it comes. */
function collect(cli: CliProcess): { out: () => string } {
  let out = '';
  cli.child.stdout!.on('data', (d: string) => (out += d));
  return { out: () => out };
}

describe('hb book / trades against a Coinbase-protocol server (real binary)', () => {
  let sim: CoinbaseProSimulator;
  let activity: CoinbaseSimActivity;
  let urls: string[];

  beforeEach(async () => {
    sim = await CoinbaseProSimulator.start({ demoAccount: true, seed: 4 });
    activity = sim.activity(4);
    activity.step(200);
    urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
  });

  afterEach(async () => {
    await sim.stop();
  });

  /** Steps activity until `done`, then stops and lets the feed drain. */
  async function trade(steps: number): Promise<void> {
    for (let i = 0; i < steps; i++) {
      activity.step(1);
      await new Promise((r) => setImmediate(r));
    }
    sim.flush();
  }

  function sameBook(line: Record<string, unknown>): boolean {
    const truth = sim.trueBook(PAIR, 20);
    return (
      JSON.stringify(line['bids']) === JSON.stringify(truth.bids) &&
      JSON.stringify(line['asks']) === JSON.stringify(truth.asks)
    );
  }

  it('with keys: a level-3 book that follows every message, re-syncs after a gap, every line with "live"', async () => {
    const cli = startCli(['book', 'coinbase-pro', PAIR, '--json', ...urls], KEYS);
    const seen = collect(cli);
    try {
      await cli.waitForLine(/"live":true/);
      expect(
        sim.feedSubscriptions().some((s) => s.channel === 'full' && s.apiKey === DEMO_ACCOUNT.apiKey),
      ).toBe(true);
      await trade(60);
      // Every message applied in order: the book's id is the product's feed sequence.
      await until('the book at the feed sequence, equal to the server', () =>
        linesSoFar(seen.out()).some(
          (l) => l['updateId'] === sim.sequence(PAIR) && l['live'] === true && sameBook(l),
        ),
      );
      // A gap: the next full-channel message is lost.
      sim.skipFullSequence(PAIR);
      await trade(30);
      await until('a not-live line (the re-sync)', () =>
        linesSoFar(seen.out()).some((l) => l['live'] === false),
      );
      await trade(30);
      await until('live again, equal to the server', () => {
        const last = linesSoFar(seen.out()).at(-1);
        return (
          last !== undefined &&
          last['live'] === true &&
          last['updateId'] === sim.sequence(PAIR) &&
          sameBook(last)
        );
      });
      const lines = linesSoFar(seen.out());
      for (const l of lines) expect(typeof l['live']).toBe('boolean');
      const notLive = lines.find((l) => l['live'] === false)!;
      expect(notLive).toMatchObject({ status: 'syncing', reason: 'gap' });
    } finally {
      cli.child.kill('SIGINT');
      await cli.done;
    }
  });

  it('without keys: a level-2 book equal to the server, and one stderr line saying so', async () => {
    const cli = startCli(['book', 'coinbase-pro', PAIR, '--json', ...urls]);
    const seen = collect(cli);
    try {
      await cli.waitForLine(/"live":true/);
      expect(
        sim
          .feedSubscriptions()
          .map((s) => s.channel)
          .sort(),
      ).toEqual(['heartbeat', 'level2_batch', 'matches']);
      await trade(60);
      await until('the book equal to the server', () => {
        const last = linesSoFar(seen.out()).at(-1);
        return last !== undefined && last['live'] === true && sameBook(last);
      });
    } finally {
      cli.child.kill('SIGINT');
    }
    const r = await cli.done;
    const notes = r.stderr.split('\n').filter((l) => l !== '');
    expect(notes).toEqual([
      'hb: coinbase-pro: no API keys: the book comes from the public level2_batch channel (price levels, 50 ms batches); set keys for the level-3 full channel',
    ]);
  });

  it('a lost socket prints a not-live line at once, then live again', async () => {
    const cli = startCli(['book', 'coinbase-pro', PAIR, '--json', ...urls], KEYS);
    const seen = collect(cli);
    try {
      await cli.waitForLine(/"live":true/);
      sim.dropMarketSockets();
      await until('a stale line', () =>
        linesSoFar(seen.out()).some((l) => l['live'] === false && l['status'] === 'stale'),
      );
      await trade(20);
      await until('live again', () => linesSoFar(seen.out()).at(-1)?.['live'] === true);
    } finally {
      cli.child.kill('SIGINT');
      await cli.done;
    }
  });

  it('trades come from the public matches channel with the taker side, keys or not', async () => {
    for (const env of [{}, KEYS]) {
      const firstTradeId = sim.lastTradeId(PAIR) + 1;
      const cli = startCli(['trades', 'coinbase-pro', PAIR, '--json', '--count', '3', ...urls], env);
      const timer = setInterval(() => activity.step(5), 30);
      const r = await cli.done;
      clearInterval(timer);
      expect(r.code).toBe(0);
      const lines = ndjson(r.stdout);
      expect(lines).toHaveLength(3);
      const simTrades = sim
        .engine(PAIR)
        .recentTrades(1000)
        .filter((t) => t.tradeId >= firstTradeId);
      for (const l of lines) {
        const t = simTrades.find((s) => String(s.tradeId) === l['tradeId']);
        expect(t).toBeDefined();
        expect(l['side']).toBe(t!.takerSide);
      }
    }
  });

  it('book --once exits non-zero with the exchange error when the subscription is refused (a wrong key)', async () => {
    const started = Date.now();
    const r = await runCli(['book', 'coinbase-pro', PAIR, '--json', '--once', ...urls], {
      ...KEYS,
      HB_COINBASE_PRO_API_SECRET: Buffer.from('x'.repeat(64)).toString('base64'),
    });
    expect(r.code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^hb: coinbase-pro: .*(invalid signature|authentication|Authentication)/im);
  });

  it('balance with a wrong key prints the authentication error and exits non-zero within 30 s', async () => {
    const started = Date.now();
    const r = await runCli(['balance', 'coinbase-pro', ...urls], {
      ...KEYS,
      HB_COINBASE_PRO_API_SECRET: Buffer.from('y'.repeat(64)).toString('base64'),
    });
    expect(r.code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stderr).toMatch(/invalid signature/i);
    expect(r.stderr).not.toMatch(/still waiting for/);
  });
});

describe('hb sandbox serve (real binary)', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'hb-home-'));
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('balance coinbase-pro --sandbox works (in-process simulator, no serve running)', async () => {
    const r = await runCli(['balance', 'coinbase-pro', '--sandbox', '--json'], { HB_HOME: home });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).map((l) => l['asset'])).toEqual(['BTC', 'ETH', 'USD']);
  });

  it('serve binance; order, orders lists it, cancel cancels it, orders is empty again', async () => {
    const env = { HB_HOME: home };
    const serve = startCli(['sandbox', 'serve', 'binance', '--json'], env);
    try {
      const ready = JSON.parse(await serve.waitForLine(/"type":"sandbox"/)) as Record<string, unknown>;
      expect(ready).toMatchObject({ type: 'sandbox', exchange: 'binance' });
      expect(String(ready['restUrl'])).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(String(ready['wsUrl'])).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(home, 'sandbox', 'binance.json'))).toBe(true);

      const book = await runCli(['book', 'binance', 'BTC-USDT', '--sandbox', '--json', '--once'], env);
      expect(book.code).toBe(0);
      const bestBid = (ndjson(book.stdout)[0]!['bids'] as [number, number][])[0]![0];
      const price = (Math.floor(bestBid * 0.9 * 100) / 100).toFixed(2);

      const order = await runCli(
        ['order', 'binance', 'buy', 'BTC-USDT', '0.001', '--price', price, '--sandbox', '--json'],
        env,
      );
      expect(order.stderr).toBe('');
      expect(order.code).toBe(0);
      const created = ndjson(order.stdout).find((l) => l['type'] === 'BuyOrderCreated')!;
      const id = String(created['clientOrderId']);

      const listed = await runCli(['orders', 'binance', '--sandbox', '--json'], env);
      expect(listed.code).toBe(0);
      expect(ndjson(listed.stdout).map((l) => l['clientOrderId'])).toEqual([id]);

      const cancel = await runCli(['cancel', 'binance', 'BTC-USDT', id, '--sandbox', '--json'], env);
      expect(cancel.code).toBe(0);
      expect(ndjson(cancel.stdout).some((l) => l['type'] === 'OrderCancelled')).toBe(true);

      const after = await runCli(['orders', 'binance', '--sandbox', '--json'], env);
      expect(after.code).toBe(0);
      expect(ndjson(after.stdout)).toEqual([]);
    } finally {
      serve.child.kill('SIGINT');
    }
    await serve.done;
    expect(existsSync(join(home, 'sandbox', 'binance.json'))).toBe(false);
  });

  it('with no serve running, --sandbox keeps the in-process simulator', async () => {
    void BinanceSimulator; // the in-process path starts its own
    const r = await runCli(['orders', 'binance', '--sandbox', '--json'], { HB_HOME: home });
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toEqual([]);
  });
});
