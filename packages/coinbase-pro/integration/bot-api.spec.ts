// The bot author's API on CoinbaseProMarket against the simulator on 127.0.0.1:
// awaitable orders, the book iterator, and the REST market data (ticker + stats,
// trades, candles, own fills), with the simulator's candle refusals.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidOrderError, type OrderBookView } from '@hb/core/connector';
import { Cleanup, httpGet, insideSpread } from '@hb/testing';
import type { CoinbaseProMarket } from '../src/coinbase-pro-market.js';
import type { CoinbaseProSimulator } from '../src/testing/index.js';
import { startMarket, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';

describe('bot API (placeOrder, watchOrderBook, market data) on Coinbase', () => {
  const cleanup = new Cleanup();
  let sim: CoinbaseProSimulator;
  let market: CoinbaseProMarket;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 17 });
    sim.activity(4, { pairs: [PAIR] }).step(120);
    ({ market } = await startMarket(cleanup, sim));
  });

  afterEach(async () => {
    await cleanup.run();
  });

  it('placeOrder resolves OPEN, rejects below the minimum; cancelOrder resolves CANCELED', async () => {
    const price = insideSpread(sim, PAIR, 'buy').toFixed();
    const placed = await market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.01', price });
    expect(placed.state).toBe('OPEN');
    await expect(
      market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.0000001', price }),
    ).rejects.toBeInstanceOf(InvalidOrderError);
    expect((await market.cancelOrder(PAIR, placed.clientOrderId)).state).toBe('CANCELED');
  });

  it('watchOrderBook yields live views', async () => {
    const activity = sim.activity(8, { pairs: [PAIR] });
    activity.start(10);
    cleanup.add(() => activity.stop());
    const views: OrderBookView[] = [];
    for await (const v of market.watchOrderBook(PAIR, { depth: 5 })) {
      views.push(v);
      if (views.length === 3) break;
    }
    expect(views.every((v) => v.live && v.bids.length > 0)).toBe(true);
  });

  it('serves ticker, recent trades, candles and own fills with exact decimals', async () => {
    const bought = await market.placeOrder({
      tradingPair: PAIR,
      side: 'buy',
      type: 'market',
      amount: '0.002',
    });
    const ticker = await market.getTicker(PAIR);
    expect(ticker.tradingPair).toBe(PAIR);
    expect(ticker.lastPrice.gt(0)).toBe(true);
    expect(ticker.high24h.gte(ticker.low24h)).toBe(true);
    expect(ticker.bestBid!.lt(ticker.bestAsk!)).toBe(true);
    const trades = await market.getRecentTrades(PAIR, { limit: 5 });
    expect(trades).toHaveLength(5);
    for (let i = 1; i < trades.length; i++)
      expect(trades[i]!.timestamp).toBeGreaterThanOrEqual(trades[i - 1]!.timestamp);
    const candles = await market.getCandles(PAIR, '1m', { limit: 3 });
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.length).toBeLessThanOrEqual(3);
    for (const c of candles) expect(c.high.gte(c.low) && c.high.gte(c.open) && c.low.lte(c.close)).toBe(true);
    const since = await market.getCandles(PAIR, '1m', { since: Date.now() - 3_600_000, limit: 60 });
    expect(since.every((c) => c.openTime >= Date.now() - 3_600_000 - 60_000)).toBe(true);
    const mine = (await market.getMyTrades(PAIR)).filter((f) => f.exchangeOrderId === bought.exchangeOrderId);
    expect(mine.reduce((a, f) => a.plus(f.amount), mine[0]!.amount.times(0)).toFixed()).toBe('0.002');
    expect(mine.every((f) => f.side === 'buy' && f.fee.asset === 'USD' && !f.isMaker)).toBe(true);
  });

  it('the simulator refuses an unknown granularity and a range of more than 300 candles', async () => {
    const bad = await httpGet(sim.restUrl, `/products/${PAIR}/candles?granularity=120`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ message: 'Unsupported granularity' });
    const start = new Date(Date.now() - 400 * 60_000).toISOString();
    const end = new Date().toISOString();
    const wide = await httpGet(
      sim.restUrl,
      `/products/${PAIR}/candles?granularity=60&start=${start}&end=${end}`,
    );
    expect(wide.status).toBe(400);
    const stats = await httpGet(sim.restUrl, `/products/${PAIR}/stats`);
    expect(Object.keys(stats.body as object).sort()).toEqual([
      'high',
      'last',
      'low',
      'open',
      'volume',
      'volume_30day',
    ]);
  });
});
