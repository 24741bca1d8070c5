// The CLI against a Binance simulator that sends hostile frames (negative,
// 401-digit, NaN, empty, wrong-typed values, inverted ranges, unknown message
// types): no printed book line ever contains them (each line equals the true book
// at its update id), and a negative or absurd fill never becomes OrderFilled or a
// completed order.
import BigNumber from 'bignumber.js';
import { BinanceSimulator, type BinanceSimActivity } from '@hb/binance/testing';
import { ndjson, startCli } from './run-cli.js';

const API_KEY = 'cli-hostile-key-5b1e';
const API_SECRET = 'cli-hostile-secret-90af';
const env = { HB_BINANCE_API_KEY: API_KEY, HB_BINANCE_API_SECRET: API_SECRET };
const HUGE = '9'.repeat(401);

let sim: BinanceSimulator;
let activity: BinanceSimActivity;
let urls: string[];

beforeAll(async () => {
  sim = await BinanceSimulator.start({ seed: 31, depthMode: 'immediate' });
  sim.createAccount({ apiKey: API_KEY, apiSecret: API_SECRET, balances: { BTC: '2', USDT: '50000' } });
  activity = sim.activity(31);
  activity.step(150);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
});

afterAll(async () => {
  await sim.stop();
});

function depth(b: string, a: string, U: number, u: number): string {
  return `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":${U},"u":${u},"b":${b},"a":${a}}}`;
}

/** Hostile depth frames that would pass the sequence check (ids continue the real stream). */
function hostileDepthFrames(next: number): string[] {
  return [
    depth('[["30000.00","-0.005"]]', '[]', next, next),
    depth(`[["${HUGE}","1.0"]]`, '[]', next, next),
    depth('[]', `[["30001.00","${HUGE}"]]`, next, next),
    depth('[["-30000.00","1"]]', '[]', next, next),
    depth('[["NaN","1"]]', '[]', next, next),
    depth('[["","1"]]', '[]', next, next),
    depth('[[30000,1]]', '[]', next, next),
    depth('[["0","1"]]', '[]', next, next),
    depth('[["30000.00","1"]]', '[]', next + 5, next),
    '{"stream":"btcusdt@depth@100ms","data":{"e":"mysteryEvent"}}',
    'not json',
  ];
}

describe('hb against a Binance server that sends hostile frames', () => {
  it('book: every printed line equals the true book at its update id; no hostile value is ever printed', async () => {
    const cli = startCli(['book', 'binance', 'BTC-USDT', '--json', '--depth', '10', ...urls]);
    await cli.waitForLine(/"updateId"/);
    const truth = new Map<number, string>();
    const record = (): void => {
      const t = sim.trueBook('BTC-USDT', 10);
      truth.set(sim.bookSequence('BTC-USDT'), JSON.stringify({ bids: t.bids, asks: t.asks }));
    };
    record();
    for (let round = 0; round < 3; round++) {
      for (const frame of hostileDepthFrames(sim.bookSequence('BTC-USDT') + 1)) {
        // Sent before the next real depth frame, in sequence position.
        sim.faults.malformedFrame({ stream: /@depth/ }, { frame, times: 1 });
        activity.step(1);
        record();
        await new Promise((r) => setImmediate(r));
      }
    }
    activity.step(5);
    record();
    const last = sim.bookSequence('BTC-USDT');
    await cli.waitForLine(new RegExp(`"updateId":${last}[,}]`));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const lines = ndjson(r.stdout);
    let compared = 0;
    for (const line of lines) {
      const levels = [...(line['bids'] as number[][]), ...(line['asks'] as number[][])];
      for (const [p, a] of levels) {
        expect(Number.isFinite(p) && p > 0 && p < 1e15).toBe(true);
        expect(Number.isFinite(a) && a > 0 && a < 1e15).toBe(true);
      }
      const want = truth.get(line['updateId'] as number);
      if (want !== undefined) {
        compared++;
        expect(JSON.stringify({ bids: line['bids'], asks: line['asks'] })).toBe(want);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(2);
    expect(lines[lines.length - 1]!['updateId']).toBe(last);
  });

  it('order: negative, absurd and 401-digit fills before the real one never become OrderFilled or a completion', async () => {
    const { bids, asks } = sim.trueBook('BTC-USDT', 1);
    const price = new BigNumber(bids[0]![0]).plus('0.01');
    expect(price.lt(asks[0]![0])).toBe(true);
    const cli = startCli(
      [
        'order',
        'binance',
        'buy',
        'BTC-USDT',
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
    const clientOrderId = String(created['clientOrderId']);
    const order = sim.orderByClientOrderId(API_KEY, clientOrderId)!;
    const report = (fields: Record<string, unknown>): string =>
      JSON.stringify({
        subscriptionId: 0,
        event: {
          e: 'executionReport',
          E: Date.now(),
          s: 'BTCUSDT',
          c: clientOrderId,
          S: 'BUY',
          o: 'LIMIT',
          f: 'GTC',
          q: '0.00200000',
          p: price.toFixed(8),
          C: '',
          x: 'TRADE',
          X: 'FILLED',
          r: 'NONE',
          i: Number(order.orderId),
          l: '0.00200000',
          z: '0.00200000',
          L: price.toFixed(8),
          n: '0',
          N: null,
          T: Date.now(),
          t: 990001,
          m: true,
          Y: price.times('0.002').toFixed(8),
          ...fields,
        },
      });
    const hostile = [
      report({ l: '-0.005', z: '0.00000000', t: 990001 }),
      report({ l: HUGE, z: HUGE, t: 990002 }),
      // Well-formed at the wire, impossible for the order: 5 BTC of a 0.002 BTC order.
      report({ l: '5.00000000', z: '5.00000000', t: 990003 }),
      report({ L: '-1.00', t: 990004 }),
      report({ l: 'NaN', t: 990005 }),
    ];
    // All sent just before the real fill's own frames.
    for (const frame of hostile) sim.faults.malformedFrame({ stream: 'userData' }, { frame, times: 1 });
    sim.takeFromAccount(API_KEY, 'BTC-USDT', 'buy', price, '0.002');
    const r = await cli.done;
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.map((e) => e['type'])).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    const fill = events[1]!;
    expect(fill['amount']).toBe(0.002);
    expect(fill['price']).toBe(price.toNumber());
    expect(String(fill['tradeId'])).not.toMatch(/^99000/);
    expect(events[2]).toMatchObject({ executedBaseAmount: 0.002 });
    expect(sim.ledgerFilledAmount(API_KEY, clientOrderId).toFixed()).toBe('0.002');
  });
});
