import { SimClock } from '@hb/testing';
import { BinanceSimulator } from '../../src/testing/index.js';
import { type Creds, get, obj, placeLimit } from './sim-helpers.js';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret-0123456789' };
const BOB: Creds = { apiKey: 'bob-key', apiSecret: 'bob-secret-0123456789' };
/** A minute boundary, so kline buckets are predictable. */
const T0 = 1_699_999_980_000;

describe('BinanceSimulator REST market data (ticker/24hr, klines)', () => {
  let sim: BinanceSimulator;
  let clock: SimClock;

  beforeEach(async () => {
    clock = new SimClock({ startMs: T0 });
    sim = await BinanceSimulator.start({
      depthMode: 'manual',
      clock,
      accounts: [
        { ...ALICE, balances: { BTC: '1', USDT: '100000' } },
        { ...BOB, balances: { BTC: '1', USDT: '100000' } },
      ],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  /** Alice rests a sell, Bob takes it: one trade at `price` for `qty`. */
  async function trade(price: string, qty: string): Promise<void> {
    const order = (who: Creds, side: 'BUY' | 'SELL') =>
      placeLimit(sim.restUrl, who, { side, price, quantity: qty }, { timestamp: clock.now() });
    expect((await order(ALICE, 'SELL')).status).toBe(200);
    expect((await order(BOB, 'BUY')).status).toBe(200);
  }

  it('klines: one row per interval, OHLCV from the trades, empty intervals carried at the close', async () => {
    clock.set(T0 + 1_000);
    await trade('30000.00', '0.01000');
    clock.set(T0 + 2_000);
    await trade('30100.00', '0.02000');
    clock.set(T0 + 120_500); // two minutes later: one empty minute between
    await trade('29900.00', '0.01000');
    const r = await get(sim.restUrl, '/api/v3/klines?symbol=BTCUSDT&interval=1m');
    expect(r.status).toBe(200);
    // This minute's window: two orders (1 each) and the klines call (2).
    expect(r.headers.get('x-mbx-used-weight-1m')).toBe('4');
    expect(r.body).toEqual([
      [
        T0,
        '30000.00000000',
        '30100.00000000',
        '30000.00000000',
        '30100.00000000',
        '0.03000000',
        T0 + 59_999,
        '902.00000000',
        2,
        '0.03000000',
        '902.00000000',
        '0',
      ],
      [
        T0 + 60_000,
        '30100.00000000',
        '30100.00000000',
        '30100.00000000',
        '30100.00000000',
        '0.00000000',
        T0 + 119_999,
        '0.00000000',
        0,
        '0.00000000',
        '0.00000000',
        '0',
      ],
      [
        T0 + 120_000,
        '29900.00000000',
        '29900.00000000',
        '29900.00000000',
        '29900.00000000',
        '0.01000000',
        T0 + 179_999,
        '299.00000000',
        1,
        '0.01000000',
        '299.00000000',
        '0',
      ],
    ]);
    const fromSecond = await get(
      sim.restUrl,
      `/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${T0 + 60_000}&limit=1`,
    );
    expect((fromSecond.body as unknown[][]).map((k) => k[0])).toEqual([T0 + 60_000]);
    const latest = await get(sim.restUrl, '/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1');
    expect((latest.body as unknown[][]).map((k) => k[0])).toEqual([T0 + 120_000]);
  });

  it('klines: refuses a missing or unknown interval and an unknown symbol as Binance does', async () => {
    const missing = await get(sim.restUrl, '/api/v3/klines?symbol=BTCUSDT');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.",
    });
    const bad = await get(sim.restUrl, '/api/v3/klines?symbol=BTCUSDT&interval=7m');
    expect(bad.body).toEqual({ code: -1120, msg: 'Invalid interval.' });
    const unknown = await get(sim.restUrl, '/api/v3/klines?symbol=NOPE&interval=1m');
    expect(unknown.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('ticker/24hr: rolling statistics, the live top of book, zeros and -1 ids with no trade', async () => {
    const empty = obj((await get(sim.restUrl, '/api/v3/ticker/24hr?symbol=BTCUSDT')).body);
    expect(empty).toMatchObject({
      symbol: 'BTCUSDT',
      lastPrice: '0.00000000',
      count: 0,
      firstId: -1,
      lastId: -1,
    });
    clock.set(T0 + 1_000);
    await trade('30000.00', '0.01000');
    clock.set(T0 + 5_000);
    await trade('30300.00', '0.01000');
    // A resting bid for the top of book.
    await placeLimit(
      sim.restUrl,
      BOB,
      { side: 'BUY', price: '29000.00', quantity: '0.50000' },
      { timestamp: clock.now() },
    );
    const r = await get(sim.restUrl, '/api/v3/ticker/24hr?symbol=BTCUSDT');
    expect(r.status).toBe(200);
    const t = obj(r.body);
    expect(t).toMatchObject({
      symbol: 'BTCUSDT',
      priceChange: '300.00000000',
      priceChangePercent: '1.000',
      weightedAvgPrice: '30150.00000000',
      lastPrice: '30300.00000000',
      lastQty: '0.01000000',
      bidPrice: '29000.00000000',
      bidQty: '0.50000000',
      askPrice: '0.00000000',
      openPrice: '30000.00000000',
      highPrice: '30300.00000000',
      lowPrice: '30000.00000000',
      volume: '0.02000000',
      quoteVolume: '603.00000000',
      openTime: T0 + 1_000,
      closeTime: T0 + 5_000,
      count: 2,
    });
    // Past 24 h the trades fall out of the window.
    clock.set(T0 + 86_400_000 + 6_000);
    expect(obj((await get(sim.restUrl, '/api/v3/ticker/24hr?symbol=BTCUSDT')).body)).toMatchObject({
      count: 0,
      prevClosePrice: '30300.00000000',
    });
  });
});
