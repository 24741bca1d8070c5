// `hb book` / `hb trades` / `hb exchanges` against a Binance simulator on 127.0.0.1.
import { BINANCE_CAPABILITIES } from '@hb/binance';
import { BinanceSimulator, type BinanceSimActivity } from '@hb/binance/testing';
import { ndjson, runCli, startCli } from './run-cli.js';

let sim: BinanceSimulator;
let activity: BinanceSimActivity;
let urls: string[];

beforeAll(async () => {
  sim = await BinanceSimulator.start({ seed: 11, depthMode: 'immediate' });
  activity = sim.activity(11);
  activity.step(150);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
});

afterAll(async () => {
  await sim.stop();
});

describe('hb book / trades / exchanges (real binary, simulator on loopback)', () => {
  it('book --json --once prints one line equal to the simulator true book', async () => {
    const r = await runCli(['book', 'binance', 'BTC-USDT', '--json', '--once', '--depth', '7', ...urls]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines).toHaveLength(1);
    const truth = sim.trueBook('BTC-USDT', 7);
    expect(lines[0]).toEqual({
      exchange: 'binance',
      tradingPair: 'BTC-USDT',
      live: true,
      updateId: sim.bookSequence('BTC-USDT'),
      bids: truth.bids,
      asks: truth.asks,
    });
    expect(truth.bids.length).toBeGreaterThan(2);
  });

  it('book --json --once defaults to 20 levels per side', async () => {
    const r = await runCli(['book', 'binance', 'ETH-USDT', '--json', '--once', ...urls]);
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    const truth = sim.trueBook('ETH-USDT', 20);
    expect(line).toMatchObject({ tradingPair: 'ETH-USDT', bids: truth.bids, asks: truth.asks });
  });

  it('trades --json prints one line per public trade with the taker side', async () => {
    const cli = startCli(['trades', 'binance', 'BTC-USDT', '--json', '--count', '3', ...urls]);
    // Keep the market trading until the CLI has seen its three trades.
    const timer = setInterval(() => activity.step(5), 30);
    const r = await cli.done;
    clearInterval(timer);
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        'exchange',
        'tradingPair',
        'tradeId',
        'price',
        'amount',
        'side',
        'timestamp',
      ]);
      expect(l).toMatchObject({ exchange: 'binance', tradingPair: 'BTC-USDT' });
      expect(['buy', 'sell']).toContain(l['side']);
      expect(typeof l['price']).toBe('number');
    }
  });

  it('book --json without --once streams in-sync states until interrupted, then exits cleanly', async () => {
    const cli = startCli(['book', 'binance', 'BTC-USDT', '--json', '--depth', '3', ...urls]);
    await cli.waitForLine(/"updateId"/);
    activity.step(20);
    const before = sim.bookSequence('BTC-USDT');
    await cli.waitForLine(new RegExp(`"updateId":${before}[,}]`));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    const ids = ndjson(r.stdout).map((l) => l['updateId'] as number);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);
  });

  it('exchanges --json lists the installed connectors with their declared capabilities', async () => {
    const r = await runCli(['exchanges', '--json']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toContainEqual(
      expect.objectContaining({
        name: 'binance',
        package: '@hb/binance',
        sandbox: true,
        capabilities: BINANCE_CAPABILITIES,
      }),
    );
  });
});
