// The `hb` binary against a Huobi-protocol server (the @hb/huobi simulator on
// 127.0.0.1): discovery, every printed book equal to the server's at its seqNum
// (also across a lost MBP increment), trades with the right taker side, a signed
// order round trip carrying our client order id, the three refusals (wrong secret,
// below the minimum never sent, insufficient balance) with a clear error and a
// non-zero exit, `--sandbox` and `hb demo huobi`.
import BigNumber from 'bignumber.js';
import { HuobiSimulator, type HuobiSimulator as Sim } from '@hb/huobi/testing';
import { allOutput, ndjson, runCli, startCli } from './run-cli.js';

const API_KEY = 'cli-huobi-key-5d1e';
const API_SECRET = 'cli-huobi-secret-93ab71';
const env = { HB_HUOBI_API_KEY: API_KEY, HB_HUOBI_API_SECRET: API_SECRET };
const PAIR = 'BTC-USDT';
const DEPTH = 150;

let sim: Sim;
let urls: string[];

beforeAll(async () => {
  sim = await HuobiSimulator.start({ seed: 41 });
  sim.createAccount({ apiKey: API_KEY, apiSecret: API_SECRET, balances: { BTC: '1', USDT: '20000' } });
  sim.activity(41, { pairs: [PAIR] }).step(150);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
});

afterAll(async () => {
  await sim.stop();
  for (const text of allOutput) expect(text).not.toContain(API_SECRET);
});

function turn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

describe('hb with huobi (real binary, Huobi simulator on loopback)', () => {
  it('exchanges lists huobi with its simulator', async () => {
    const r = await runCli(['exchanges', '--json']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toContainEqual(
      expect.objectContaining({ name: 'huobi', package: '@hb/huobi', sandbox: true }),
    );
  });

  it('book --once equals the server book at its seqNum', async () => {
    const r = await runCli(['book', 'huobi', PAIR, '--json', '--once', '--depth', String(DEPTH), ...urls]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    const truth = sim.trueBook(PAIR, DEPTH);
    expect(line).toEqual({
      exchange: 'huobi',
      tradingPair: PAIR,
      live: true,
      updateId: sim.seqNum(PAIR),
      bids: truth.bids,
      asks: truth.asks,
    });
  });

  it('every streamed book equals the server book at its seqNum, also after a lost increment', async () => {
    const activity = sim.activity(42, { pairs: [PAIR] });
    const truthAt = new Map<number, string>();
    const record = (): void => {
      const seq = sim.seqNum(PAIR); // flushes pending changes first
      truthAt.set(seq, JSON.stringify(sim.trueBook(PAIR, DEPTH)));
    };
    record();
    const cli = startCli(['book', 'huobi', PAIR, '--json', '--depth', String(DEPTH), ...urls]);
    await cli.waitForLine(/"updateId"/);
    for (let i = 0; i < 30; i++) {
      activity.step(1);
      record();
      await turn();
    }
    // Lose one increment: the next one no longer links; the CLI's book re-syncs from a refresh.
    sim.skipIncrement(PAIR);
    for (let i = 0; i < 30; i++) {
      activity.step(1);
      record();
      await turn();
    }
    const last = sim.seqNum(PAIR);
    await cli.waitForLine(new RegExp(`"updateId":${last}[,}]`));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const lines = ndjson(r.stdout);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) {
      const want = truthAt.get(l['updateId'] as number);
      expect(want).toBeDefined();
      expect(JSON.stringify({ bids: l['bids'], asks: l['asks'] })).toBe(want);
    }
  });

  it('trades print the taker side of each trade', async () => {
    const cli = startCli(['trades', 'huobi', PAIR, '--json', '--count', '4', ...urls]);
    // Takers buy and sell in turn until the CLI has printed its four trades.
    const e = sim.engine(PAIR);
    let buyer = true;
    const timer = setInterval(() => {
      if (buyer)
        sim.takeFromAccount('x', PAIR, 'sell', e.bestAsk()!, '0.001'); // a buyer lifts the ask
      else sim.takeFromAccount('x', PAIR, 'buy', e.bestBid()!, '0.001'); // a seller hits the bid
      buyer = !buyer;
    }, 100);
    const r = await cli.done;
    clearInterval(timer);
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines).toHaveLength(4);
    const truth = new Map(e.recentTrades(500).map((t) => [String(t.tradeId), t.takerSide]));
    for (const l of lines) expect(l['side']).toBe(truth.get(String(l['tradeId'])));
    expect(new Set(lines.map((l) => l['side']))).toEqual(new Set(['buy', 'sell']));
  });

  it('order: a signed round trip carrying our client order id (created, filled, completed)', async () => {
    const { bids, asks } = sim.trueBook(PAIR, 1);
    const price = new BigNumber(bids[0]![0]).plus('0.01');
    expect(price.lt(asks[0]![0])).toBe(true);
    const cli = startCli(
      [
        'order',
        'huobi',
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
    const created = await cli.waitForLine(/"type":"BuyOrderCreated"/);
    const clientOrderId = String((JSON.parse(created) as Record<string, unknown>)['clientOrderId']);
    const onExchange = sim.orderByClientOrderId(API_KEY, clientOrderId);
    expect(onExchange?.price?.toFixed()).toBe(price.toFixed());
    sim.takeFromAccount(API_KEY, PAIR, 'buy', price, '0.002');
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.map((e) => e['type'])).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    expect(events.every((e) => e['clientOrderId'] === clientOrderId)).toBe(true);
    expect(events[1]).toMatchObject({ price: price.toNumber(), amount: 0.002, isMaker: true });
    expect(sim.ledgerFilledAmount(API_KEY, clientOrderId).toFixed()).toBe('0.002');
  });

  it('a wrong secret: authentication refused with the exchange code and message', async () => {
    const r = await runCli(['balance', 'huobi', ...urls], {
      HB_HUOBI_API_KEY: API_KEY,
      HB_HUOBI_API_SECRET: 'wrong-secret-0000',
    });
    expect(r.code).toBe(3); // AuthenticationError
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^hb: huobi: authentication rejected: .*api-signature-not-valid.*Verification failure/,
    );
  });

  it('below the minimum: refused before sending (nothing reaches the server)', async () => {
    const sent = sim.orderRequestCount(API_KEY);
    const r = await runCli(
      ['order', 'huobi', 'buy', PAIR, '0.00005', '--price', '20000', '--json', ...urls],
      env,
    );
    expect(r.code).toBe(5); // InvalidOrderError
    const events = ndjson(r.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'OrderFailure',
      exchange: 'huobi',
      error: { reason: 'invalid_order', rule: 'min_order_size' },
    });
    expect(r.stderr).toMatch(/^hb: huobi: order rejected: below the minimum order size: .*0\.0001/);
    expect(sim.orderRequestCount(API_KEY)).toBe(sent);
  });

  it('insufficient balance: the exchange refusal on one line', async () => {
    const sent = sim.orderRequestCount(API_KEY);
    const r = await runCli(['order', 'huobi', 'buy', PAIR, '5', '--price', '20000', ...urls], env);
    expect(r.code).toBe(4); // InsufficientFundsError
    expect(r.stderr).toMatch(
      /^hb: huobi: order rejected: insufficient balance: .*order-accountbalance-error.*\n$/,
    );
    expect(sim.orderRequestCount(API_KEY)).toBe(sent + 1);
  });

  it('balance, orders, cancel and cancel-all work on orders placed by earlier runs', async () => {
    const bal = await runCli(['balance', 'huobi', '--json', ...urls], env);
    expect(bal.code).toBe(0);
    const usdt = ndjson(bal.stdout).find((l) => l['asset'] === 'USDT');
    const truth = sim.ledger.balance(API_KEY, 'USDT');
    expect(usdt).toMatchObject({
      exchange: 'huobi',
      total: truth.total.toNumber(),
      available: truth.free.toNumber(),
    });

    const place = async (side: 'buy' | 'sell', price: string): Promise<string> => {
      const r = await runCli(
        ['order', 'huobi', side, PAIR, '0.001', '--price', price, '--json', ...urls],
        env,
      );
      expect(r.code).toBe(0);
      return String(ndjson(r.stdout)[0]!['clientOrderId']);
    };
    const a = await place('buy', '25000');
    const b = await place('sell', '35000');
    const listed = await runCli(['orders', 'huobi', PAIR, '--json', ...urls], env);
    expect(listed.code).toBe(0);
    const open = ndjson(listed.stdout).map((o) => [
      o['clientOrderId'],
      o['side'],
      o['price'],
      o['amount'],
      o['state'],
    ]);
    expect(open).toEqual(
      expect.arrayContaining([
        [a, 'buy', 25000, 0.001, 'OPEN'],
        [b, 'sell', 35000, 0.001, 'OPEN'],
      ]),
    );

    const one = await runCli(['cancel', 'huobi', PAIR, a, '--json', ...urls], env);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(ndjson(one.stdout)).toEqual([
      expect.objectContaining({ type: 'OrderCancelled', clientOrderId: a }),
    ]);
    expect(sim.orderByClientOrderId(API_KEY, a)?.status).toBe('cancelled');

    const all = await runCli(['cancel-all', 'huobi', '--json', ...urls], env);
    expect(all.code).toBe(0);
    expect(ndjson(all.stdout)).toContainEqual(
      expect.objectContaining({ type: 'OrderCancelled', clientOrderId: b }),
    );
    expect(sim.exchange.openOrders(API_KEY)).toEqual([]);
  }, 60_000);

  it('--sandbox: the book from the bundled simulator', async () => {
    const r = await runCli(['book', 'huobi', PAIR, '--sandbox', '--json', '--once']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = ndjson(r.stdout);
    expect(line).toMatchObject({ exchange: 'huobi', tradingPair: PAIR });
    expect((line!['bids'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('hb demo huobi runs to the end', async () => {
    const r = await runCli(['demo', 'huobi', '--duration', '2', '--seed', '7', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines.map((l) => l['type'])).toContain('book');
    expect(String(lines[lines.length - 1]!['message'])).toMatch(/^demo finished/);
  });
});
