// The bot author's API on BinanceMarket against the simulator on 127.0.0.1:
// awaitable orders (and their typed refusals), rounding, the async iterators, and
// the REST market data (ticker, recent trades, candles, own trades).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  InsufficientFundsError,
  InvalidOrderError,
  OrderRuleError,
  type MarketEvent,
  type OrderBookView,
} from '@hb/core/connector';
import { Cleanup, insideSpread } from '@hb/testing';
import type { BinanceMarket } from '../src/binance-market.js';
import type { BinanceSimulator } from '../src/testing/index.js';
import { startMarket, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('bot API (placeOrder, watch*, market data) on Binance', () => {
  const cleanup = new Cleanup();
  let sim: BinanceSimulator;
  let market: BinanceMarket;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 11 });
    sim.activity(5, { pairs: [PAIR] }).step(100);
    ({ market } = await startMarket(cleanup, sim));
  });

  afterEach(async () => {
    await cleanup.run();
  });

  it('placeOrder resolves OPEN for a resting order and cancelOrder resolves CANCELED', async () => {
    const price = insideSpread(sim, PAIR, 'buy').toFixed();
    const placed = await market.placeOrder({
      tradingPair: PAIR,
      side: 'buy',
      type: 'limit',
      amount: '0.01',
      price,
    });
    expect(placed.state).toBe('OPEN');
    expect(placed.exchangeOrderId).toMatch(/^\d+$/);
    const listed = sim.orderByClientOrderId(sim.demoAccount!.apiKey, placed.clientOrderId);
    expect(listed?.status).toBe('new');
    const cancelled = await market.cancelOrder(PAIR, placed.clientOrderId);
    expect(cancelled.state).toBe('CANCELED');
  });

  it('placeOrder resolves FILLED-or-later for a crossing market order', async () => {
    const s = await market.placeOrder({ tradingPair: PAIR, side: 'buy', type: 'market', amount: '0.001' });
    expect(['OPEN', 'PARTIALLY_FILLED', 'FILLED']).toContain(s.state);
  });

  it('rejects below the minimum (rule, nothing sent) and on insufficient funds (exchange -2010)', async () => {
    const price = insideSpread(sim, PAIR, 'buy').toFixed();
    const before = sim.orderRequestCount(sim.demoAccount!.apiKey);
    const tooSmall = market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.000001', price });
    await expect(tooSmall).rejects.toBeInstanceOf(OrderRuleError);
    await expect(tooSmall).rejects.toBeInstanceOf(InvalidOrderError);
    expect(sim.orderRequestCount(sim.demoAccount!.apiKey)).toBe(before);
    await expect(
      market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '100', price }),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
  });

  it('round: true sends the floored amount and the tick-rounded price', async () => {
    const price = insideSpread(sim, PAIR, 'buy');
    const s = await market.placeOrder({
      tradingPair: PAIR,
      side: 'buy',
      amount: '0.0123456',
      price: `${price.toFixed(2)}789`,
      round: true,
    });
    expect(s.amount.toFixed()).toBe('0.01234');
    expect(s.price?.toFixed()).toBe(price.toFixed(2).replace(/\.?0+$/, ''));
    const open = await market.fetchOpenOrders(PAIR);
    const mine = open.find((o) => o.clientOrderId === s.clientOrderId);
    expect(mine?.amount.toFixed()).toBe('0.01234');
    expect(mine?.price.toFixed()).toBe(s.price?.toFixed());
  });

  it('watchOrderBook yields live views that follow the exchange, and break unsubscribes', async () => {
    const activity = sim.activity(9, { pairs: [PAIR] });
    activity.start(10);
    cleanup.add(() => activity.stop());
    const views: OrderBookView[] = [];
    for await (const v of market.watchOrderBook(PAIR, { depth: 3 })) {
      views.push(v);
      if (views.length === 5) break;
    }
    expect(views.every((v) => v.live && v.bids.length > 0 && v.bids.length <= 3)).toBe(true);
    for (let i = 1; i < views.length; i++) expect(views[i]!.updateId).toBeGreaterThan(views[i - 1]!.updateId);
    for (const v of views.filter((x) => x.asks.length > 0)) expect(v.bids[0]![0]).toBeLessThan(v.asks[0]![0]);
  });

  it('watchTrades yields the stream trades; watchOrders the order events', async () => {
    const activity = sim.activity(13, { pairs: [PAIR] });
    activity.start(10);
    cleanup.add(() => activity.stop());
    let trades = 0;
    for await (const t of market.watchTrades(PAIR)) {
      expect(t.tradingPair).toBe(PAIR);
      if (++trades === 3) break;
    }
    activity.stop();
    const events: MarketEvent['type'][] = [];
    const orders = market.watchOrders();
    const price = insideSpread(sim, PAIR, 'sell').toFixed();
    const placed = await market.placeOrder({ tradingPair: PAIR, side: 'sell', amount: '0.01', price });
    await market.cancelOrder(PAIR, placed.clientOrderId);
    for await (const e of orders) {
      if (e.clientOrderId !== placed.clientOrderId) continue;
      events.push(e.type);
      if (e.type === 'OrderCancelled') break;
    }
    expect(events).toEqual(['SellOrderCreated', 'OrderCancelled']);
  });

  it('serves ticker, recent trades, candles and own trades by REST with exact decimals', async () => {
    // One own fill: a market buy against the simulated book.
    const bought = await market.placeOrder({
      tradingPair: PAIR,
      side: 'buy',
      type: 'market',
      amount: '0.002',
    });
    const ticker = await market.getTicker(PAIR);
    expect(ticker.tradingPair).toBe(PAIR);
    expect(ticker.lastPrice.gt(0)).toBe(true);
    expect(ticker.bestBid!.lt(ticker.bestAsk!)).toBe(true);
    expect(ticker.high24h.gte(ticker.low24h)).toBe(true);
    const recent = await market.getRecentTrades(PAIR, { limit: 5 });
    expect(recent.length).toBe(5);
    expect(recent.every((t) => t.tradingPair === PAIR && t.amount.gt(0))).toBe(true);
    const candles = await market.getCandles(PAIR, '1m', { limit: 3 });
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.length).toBeLessThanOrEqual(3);
    for (const c of candles) {
      expect(c.high.gte(c.low)).toBe(true);
      expect(c.high.gte(c.open) && c.high.gte(c.close)).toBe(true);
    }
    const mine = await market.getMyTrades(PAIR, { since: Date.now() - 60_000 });
    const ofOrder = mine.filter((t) => t.exchangeOrderId === bought.exchangeOrderId);
    expect(ofOrder.length).toBeGreaterThan(0);
    expect(ofOrder.reduce((a, t) => a.plus(t.amount), ofOrder[0]!.amount.times(0)).toFixed()).toBe('0.002');
    expect(ofOrder.every((t) => t.side === 'buy' && t.fee.asset !== '')).toBe(true);
  });
});
