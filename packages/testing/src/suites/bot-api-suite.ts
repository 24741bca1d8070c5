// The bot author's API (placeOrder, cancelOrder, watch*, REST market data) on a
// connector's market against its simulator, written once: awaitable orders and
// their typed refusals, rounding, the async iterators, and ticker, recent trades,
// candles and own trades with exact decimals. The connector's adapter builds the
// market; what only its exchange does goes in extra tests with the context.
import { beforeEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import {
  InsufficientFundsError,
  InvalidOrderError,
  NotSupportedError,
  OrderRuleError,
  type Market,
  type MarketDataKind,
  type MarketEvent,
  type OrderBookView,
} from '@hb/core';
import { insideSpread } from '../conformance/harness-kit.js';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import { demoAccount, startLoggedMarket } from '../util/test-helpers.js';
import { useSimulator, type SimulatorSpecContext } from './simulator-spec.js';

/** A connector's side of {@link describeBotApiSuite}. */
export interface BotApiSuiteAdapter<S extends SimulatorBase, M extends Market> {
  /** Connector name, in the titles. */
  readonly name: string;
  /** The pair every test trades (on the demo account). */
  readonly pair: string;
  /** Starts the simulator (demo account) with `seed`. */
  startSimulator(seed: number): Promise<S>;
  /** The connector's market on the demo account, trading `pair`. */
  createMarket(sim: S): M;
  /** The form of the exchange's order ids. */
  readonly exchangeOrderId: RegExp;
  /**
   * The REST market data the connector declares (its capabilities'
   * `marketData`); default all of it. What it does not declare must be refused
   * with a typed `NotSupportedError`.
   */
  readonly marketData?: readonly MarketDataKind[];
}

/** What extra tests of a connector get from the suite (valid inside a test). */
export interface BotApiSuiteContext<
  S extends SimulatorBase,
  M extends Market,
> extends SimulatorSpecContext<S> {
  /** The started, ready market of the current test. */
  readonly market: M;
}

/** A price with more decimals than `tick` allows, and the tick price `round: true` must send. */
const ODD_DIGITS = '0.0123456789';

/** Registers the bot-API tests of one connector; `extra` registers its own in the same `describe`. */
export function describeBotApiSuite<S extends SimulatorBase, M extends Market>(
  adapter: BotApiSuiteAdapter<S, M>,
  extra?: (context: BotApiSuiteContext<S, M>) => void,
): void {
  const PAIR = adapter.pair;
  describe(`bot API (placeOrder, watch*, market data): ${adapter.name}`, () => {
    const context = useSimulator(() => adapter.startSimulator(11), { seed: 5, steps: 120, pairs: [PAIR] });
    let market: M | undefined;
    const started = (): M => {
      if (market === undefined) throw new Error('no market');
      return market;
    };
    beforeEach(async () => {
      ({ market } = await startLoggedMarket(context.cleanup, adapter.createMarket(context.sim)));
    });

    it('placeOrder resolves OPEN for a resting order and cancelOrder resolves CANCELED', async () => {
      const { sim } = context;
      const price = insideSpread(sim, PAIR, 'buy').toFixed();
      const placed = await started().placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        type: 'limit',
        amount: '0.01',
        price,
      });
      expect(placed.state).toBe('OPEN');
      expect(placed.exchangeOrderId).toMatch(adapter.exchangeOrderId);
      const apiKey = demoAccount(sim as { demoAccount: { apiKey: string } | undefined }).apiKey;
      expect(sim.orderByClientOrderId(apiKey, placed.clientOrderId)?.status).toBe('new');
      const cancelled = await started().cancelOrder(PAIR, placed.clientOrderId);
      expect(cancelled.state).toBe('CANCELED');
    });

    it('placeOrder resolves FILLED-or-later for a crossing market order', async () => {
      const s = await started().placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        type: 'market',
        amount: '0.001',
      });
      expect(['OPEN', 'PARTIALLY_FILLED', 'FILLED']).toContain(s.state);
    });

    it('rejects below the minimum (the broken rule, nothing sent) and beyond the balance (insufficient funds)', async () => {
      const { sim } = context;
      const price = insideSpread(sim, PAIR, 'buy').toFixed();
      const apiKey = demoAccount(sim as { demoAccount: { apiKey: string } | undefined }).apiKey;
      const before = sim.orderRequestCount(apiKey);
      const tooSmall = started().placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.0000001', price });
      await expect(tooSmall).rejects.toBeInstanceOf(OrderRuleError);
      await expect(tooSmall).rejects.toBeInstanceOf(InvalidOrderError);
      expect(sim.orderRequestCount(apiKey)).toBe(before);
      await expect(
        started().placeOrder({ tradingPair: PAIR, side: 'buy', amount: '100', price }),
      ).rejects.toBeInstanceOf(InsufficientFundsError);
    });

    it('round: true sends the amount floored to the step and the price floored to the tick', async () => {
      const rule = started().tradingRules.get(PAIR)!;
      const floor = (x: BigNumber, unit: BigNumber): BigNumber =>
        x.div(unit).integerValue(BigNumber.ROUND_FLOOR).times(unit);
      const tickPrice = insideSpread(context.sim, PAIR, 'buy');
      const amount = floor(new BigNumber(ODD_DIGITS), rule.minBaseAmountIncrement);
      const s = await started().placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        amount: ODD_DIGITS,
        price: tickPrice.plus(rule.minPriceIncrement.times(ODD_DIGITS)).toFixed(),
        round: true,
      });
      expect(s.amount.toFixed()).toBe(amount.toFixed());
      expect(s.price?.toFixed()).toBe(floor(tickPrice, rule.minPriceIncrement).toFixed());
      const mine = (await started().fetchOpenOrders(PAIR)).find((o) => o.clientOrderId === s.clientOrderId);
      expect(mine?.amount.toFixed()).toBe(amount.toFixed());
      expect(mine?.price.toFixed()).toBe(s.price?.toFixed());
    });

    it('watchOrderBook yields live views that follow the exchange, and break unsubscribes', async () => {
      const activity = context.sim.activity(9, { pairs: [PAIR] });
      activity.start(10);
      context.cleanup.add(() => activity.stop());
      const views: OrderBookView[] = [];
      for await (const v of started().watchOrderBook(PAIR, { depth: 3 })) {
        views.push(v);
        if (views.length === 5) break;
      }
      expect(views.every((v) => v.live && v.bids.length > 0 && v.bids.length <= 3)).toBe(true);
      for (let i = 1; i < views.length; i++)
        expect(views[i]!.updateId).toBeGreaterThan(views[i - 1]!.updateId);
      for (const v of views.filter((x) => x.asks.length > 0))
        expect(v.bids[0]![0]).toBeLessThan(v.asks[0]![0]);
    });

    it('watchTrades yields the stream trades; watchOrders the order events', async () => {
      const activity = context.sim.activity(13, { pairs: [PAIR] });
      activity.start(10);
      context.cleanup.add(() => activity.stop());
      let trades = 0;
      for await (const t of started().watchTrades(PAIR)) {
        expect(t.tradingPair).toBe(PAIR);
        if (++trades === 3) break;
      }
      activity.stop();
      const events: MarketEvent['type'][] = [];
      const orders = started().watchOrders();
      const price = insideSpread(context.sim, PAIR, 'sell').toFixed();
      const placed = await started().placeOrder({ tradingPair: PAIR, side: 'sell', amount: '0.01', price });
      await started().cancelOrder(PAIR, placed.clientOrderId);
      for await (const e of orders) {
        if (e.clientOrderId !== placed.clientOrderId) continue;
        events.push(e.type);
        if (e.type === 'OrderCancelled') break;
      }
      expect(events).toEqual(['SellOrderCreated', 'OrderCancelled']);
    });

    const declared = new Set<MarketDataKind>(
      adapter.marketData ?? ['ticker', 'recentTrades', 'candles', 'myTrades'],
    );
    const undeclared = (['ticker', 'recentTrades', 'candles', 'myTrades'] as const).filter(
      (k) => !declared.has(k),
    );
    const served =
      declared.size === 4
        ? 'serves ticker, recent trades, candles and own trades by REST with exact decimals'
        : declared.size === 0
          ? 'declares no REST market data'
          : `serves ${[...declared].join(', ')} by REST with exact decimals`;
    const refused =
      undeclared.length === 0
        ? ''
        : `; the undeclared (${undeclared.join(', ')}) are refused as not supported`;
    it(`${served}${refused}`, async () => {
      // One own fill: a market buy against the simulated book.
      const bought = await started().placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        type: 'market',
        amount: '0.002',
      });
      for (const kind of undeclared) {
        const call = {
          ticker: () => started().getTicker(PAIR),
          recentTrades: () => started().getRecentTrades(PAIR, { limit: 5 }),
          candles: () => started().getCandles(PAIR, '1m', { limit: 3 }),
          myTrades: () => started().getMyTrades(PAIR, {}),
        }[kind];
        await expect(call()).rejects.toBeInstanceOf(NotSupportedError);
      }
      if (declared.has('ticker')) {
        const ticker = await started().getTicker(PAIR);
        expect(ticker.tradingPair).toBe(PAIR);
        expect(ticker.lastPrice.gt(0)).toBe(true);
        expect(ticker.bestBid!.lt(ticker.bestAsk!)).toBe(true);
        expect(ticker.high24h.gte(ticker.low24h)).toBe(true);
      }
      if (declared.has('recentTrades')) {
        const recent = await started().getRecentTrades(PAIR, { limit: 5 });
        expect(recent).toHaveLength(5);
        expect(recent.every((t) => t.tradingPair === PAIR && t.amount.gt(0))).toBe(true);
        for (let i = 1; i < recent.length; i++)
          expect(recent[i]!.timestamp).toBeGreaterThanOrEqual(recent[i - 1]!.timestamp);
      }
      if (declared.has('candles')) {
        const candles = await started().getCandles(PAIR, '1m', { limit: 3 });
        expect(candles.length).toBeGreaterThan(0);
        expect(candles.length).toBeLessThanOrEqual(3);
        for (const c of candles) {
          expect(c.high.gte(c.low)).toBe(true);
          expect(c.high.gte(c.open) && c.high.gte(c.close) && c.low.lte(c.open) && c.low.lte(c.close)).toBe(
            true,
          );
        }
        const hourAgo = Date.now() - 3_600_000;
        const since = await started().getCandles(PAIR, '1m', { since: hourAgo, limit: 60 });
        expect(since.every((c) => c.openTime >= hourAgo - 60_000)).toBe(true);
      }
      if (declared.has('myTrades')) {
        const mine = await started().getMyTrades(PAIR, { since: Date.now() - 60_000 });
        const ofOrder = mine.filter((t) => t.exchangeOrderId === bought.exchangeOrderId);
        expect(ofOrder.length).toBeGreaterThan(0);
        expect(ofOrder.reduce((a, t) => a.plus(t.amount), new BigNumber(0)).toFixed()).toBe('0.002');
        const quote = PAIR.split('-')[1];
        expect(ofOrder.every((t) => t.side === 'buy' && !t.isMaker && t.fee.asset !== '')).toBe(true);
        expect(ofOrder.some((t) => t.fee.asset === quote || t.fee.asset === PAIR.split('-')[0])).toBe(true);
      }
    });

    extra?.({
      get sim() {
        return context.sim;
      },
      cleanup: context.cleanup,
      state: undefined,
      get market() {
        return started();
      },
    });
  });
}
