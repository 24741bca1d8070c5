// The `hb` binary against a Bittrex-protocol server (the Bittrex simulator on
// 127.0.0.1: REST under /v3, classic SignalR under /signalr): every printed book
// equals the server's at its sequence, including after a gap; trades carry the
// taker side the server reported; a signed order round trip carries our client
// order id; a wrong secret, an order below the minimum (never sent) and
// insufficient funds each end with one clear line and a non-zero exit.
import BigNumber from 'bignumber.js';
import { BittrexSimulator, TEST_REQUESTS_PER_MINUTE } from '@hb/bittrex/testing';
import { allOutput, ndjson, runCli, startCli } from './run-cli.js';

const API_KEY = '0f3a9c7b2e1d4c5b8a6f9e0d1c2b3a49';
const API_SECRET = 'e41d0b92c7a84f5e9b3d2c1a0f9e8d7c';
const env = { HB_BITTREX_API_KEY: API_KEY, HB_BITTREX_API_SECRET: API_SECRET };
const PAIR = 'BTC-USDT';
const DEPTH = 25;

let sim: BittrexSimulator;
let urls: string[];

beforeAll(async () => {
  sim = await BittrexSimulator.start({ seed: 41, requestsPerMinute: TEST_REQUESTS_PER_MINUTE });
  sim.createAccount({ apiKey: API_KEY, apiSecret: API_SECRET, balances: { BTC: '1', USDT: '1000' } });
  sim.activity(41).step(150);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
});

afterAll(async () => {
  await sim.stop();
});

function expectOneLine(stderr: string, re: RegExp): void {
  const lines = stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(re);
}

describe('hb with bittrex (real binary, Bittrex-protocol server on loopback)', () => {
  it('exchanges lists bittrex', async () => {
    const r = await runCli(['exchanges', '--json']);
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows.find((x) => x['name'] === 'bittrex')).toMatchObject({
      package: '@hb/bittrex',
      sandbox: true,
    });
  });

  it('book --json --once equals the server book at the sequence printed', async () => {
    const r = await runCli(['book', 'bittrex', PAIR, '--json', '--once', '--depth', String(DEPTH), ...urls]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    const server = sim.publishedBook(PAIR, DEPTH);
    expect(line).toEqual({
      exchange: 'bittrex',
      tradingPair: PAIR,
      live: true,
      updateId: server.sequence,
      bids: server.bids,
      asks: server.asks,
    });
    expect(server.bids.length).toBeGreaterThan(2);
  });

  it('a streamed book: every printed state equals the server book at its sequence, also after a skipped delta', async () => {
    const history = new Map<number, string>();
    const record = (): void => {
      sim.flush();
      const b = sim.publishedBook(PAIR, DEPTH);
      history.set(b.sequence, JSON.stringify({ bids: b.bids, asks: b.asks }));
    };
    const activity = sim.activity(42, { pairs: [PAIR] });
    record();
    const cli = startCli(['book', 'bittrex', PAIR, '--json', '--depth', String(DEPTH), ...urls]);
    await cli.waitForLine(/"updateId"/);
    const step = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        activity.step(1);
        record();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await step(20);
    sim.skipBookDelta(PAIR, DEPTH); // the next delta never reaches the CLI: a gap
    await step(40);
    const last = sim.publishedBook(PAIR, DEPTH).sequence;
    await cli.waitForLine(new RegExp(`"updateId":${last}[,}]`));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const lines = ndjson(r.stdout);
    // The book command coalesces states when it is slower than the feed (a loaded
    // machine), so the count varies; what matters is that every printed state is true.
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      const want = history.get(l['updateId'] as number);
      expect(want).toBeDefined();
      expect(JSON.stringify({ bids: l['bids'], asks: l['asks'] })).toBe(want);
    }
  });

  it('trades --json: each trade has the server id and taker side', async () => {
    const cli = startCli(['trades', 'bittrex', PAIR, '--json', '--count', '4', ...urls]);
    const m = sim.marketInfo(PAIR);
    // Keep crossing both ways until the CLI has printed its trades.
    let buyer = true;
    const timer = setInterval(() => {
      if (buyer) sim.takeFromAccount('sim-x', PAIR, 'sell', m.engine.bestAsk()!, '0.001');
      else sim.takeFromAccount('sim-x', PAIR, 'buy', m.engine.bestBid()!, '0.001');
      buyer = !buyer;
    }, 100);
    const r = await cli.done;
    clearInterval(timer);
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines).toHaveLength(4);
    const server = new Map(
      m.engine.recentTrades(1000).map((t) => {
        const o = sim.exchange.tradeObject(t);
        return [o['id'], o['takerSide'] === 'BUY' ? 'buy' : 'sell'] as const;
      }),
    );
    for (const l of lines) expect(l['side']).toBe(server.get(l['tradeId'] as string));
    expect(new Set(lines.map((l) => l['side'])).size).toBe(2);
  });

  it('a signed order round trip: created with our client order id, taken, filled, completed', async () => {
    const { bids, asks } = sim.trueBook(PAIR, 1);
    const price = new BigNumber(bids[0]![0]).plus('0.001');
    expect(price.lt(asks[0]![0])).toBe(true);
    const logStart = sim.requestLog().length;
    const cli = startCli(
      [
        'order',
        'bittrex',
        'buy',
        PAIR,
        '0.002',
        '--price',
        price.toFixed(),
        '--no-wait-open',
        '--json',
        ...urls,
      ],
      env,
    );
    const created = JSON.parse(await cli.waitForLine(/"type":"BuyOrderCreated"/)) as Record<string, unknown>;
    const clientOrderId = created['clientOrderId'] as string;
    expect(clientOrderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const onServer = sim.orderByClientOrderId(API_KEY, clientOrderId);
    expect(onServer?.clientOrderId).toBe(clientOrderId);
    sim.takeFromAccount(API_KEY, PAIR, 'buy', price, '0.002');
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const types = ndjson(r.stdout).map((l) => l['type']);
    expect(types).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    const posts = sim
      .requestLog()
      .slice(logStart)
      .filter((x) => x.method === 'POST' && x.path === '/v3/orders');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.apiKey).toBe(API_KEY);
  });

  it('a wrong secret: INVALID_SIGNATURE on one line, exit code of its class', async () => {
    const r = await runCli(['order', 'bittrex', 'buy', PAIR, '0.001', '--price', '30000', ...urls], {
      HB_BITTREX_API_KEY: API_KEY,
      HB_BITTREX_API_SECRET: 'wrong-secret-5c2e8a1f0000000000',
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, /^hb: bittrex: authentication rejected: .*INVALID_SIGNATURE/);
  });

  it('below the minimum trade size: refused before sending, one line, exit code of its class', async () => {
    const before = sim.orderRequestCount(API_KEY);
    const r = await runCli(['order', 'bittrex', 'buy', PAIR, '0.00001', '--price', '30000', ...urls], env);
    expect(r.code).toBe(5);
    expectOneLine(r.stderr, /minimum order size/);
    expect(sim.orderRequestCount(API_KEY)).toBe(before);
  });

  it('insufficient funds: INSUFFICIENT_FUNDS on one line, exit code of its class', async () => {
    const before = sim.orderRequestCount(API_KEY);
    const r = await runCli(['order', 'bittrex', 'buy', PAIR, '0.5', '--price', '30000', ...urls], env);
    expect(r.code).toBe(4);
    expectOneLine(r.stderr, /INSUFFICIENT_FUNDS/);
    expect(sim.orderRequestCount(API_KEY)).toBe(before + 1);
  });

  it('one URL serves REST and SignalR: --rest-url alone', async () => {
    const r = await runCli([
      'book',
      'bittrex',
      PAIR,
      '--json',
      '--once',
      '--depth',
      '5',
      '--rest-url',
      sim.url,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    const server = sim.publishedBook(PAIR, 25);
    expect(line).toMatchObject({
      tradingPair: PAIR,
      updateId: server.sequence,
      bids: server.bids.slice(0, 5),
    });
  });

  it('demo bittrex runs to the end: book, orders resting, filled, cancelled, refused', async () => {
    const r = await runCli(['demo', 'bittrex', '--duration', '2', '--seed', '7', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    const types = lines.map((l) => l['type']);
    expect(types).toContain('book');
    for (const t of ['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted', 'OrderCancelled', 'OrderFailure'])
      expect(types).toContain(t);
    expect(String(lines[lines.length - 1]!['message'])).toMatch(/^demo finished/);
  });

  it('book --sandbox runs the connector against its own simulator', async () => {
    const r = await runCli(['book', 'bittrex', PAIR, '--sandbox', '--json', '--once', '--depth', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    expect(line).toMatchObject({ exchange: 'bittrex', tradingPair: PAIR });
    expect((line!['bids'] as unknown[]).length).toBe(3);
  });

  it('never printed the API key or secret', () => {
    for (const out of allOutput) {
      expect(out).not.toContain(API_SECRET);
      expect(out).not.toContain('wrong-secret-5c2e8a1f');
    }
  });
});
