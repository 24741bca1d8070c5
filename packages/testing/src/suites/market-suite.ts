// The seed requirement "market test", written once for what every exchange does
// the same way: trading rules and balances loaded, limit orders that rest (and
// lower the available balance), a resting order filled by another trader, post-
// only orders (resting, and refused when they would cross), market orders whose
// fills carry the fee the exchange charged, and quantization. The connector's
// adapter builds its market and gives its numbers (rules, balances, fees, how the
// exchange refuses a crossing post-only order); its own scenarios go in extra
// tests with the suite's context. Cancels, rule checks, unknown outcomes, 429,
// clock skew, funds, keys and restarts are the conformance suite's.
import { describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { HbError, OrderRuleError, type Market, type OrderSide, type TradingRule } from '@hb/core';
import { insideSpread, takeFromOurOrder } from '../conformance/harness-kit.js';
import type { AccountTrade } from '../engine/matching-engine.js';
import { validateOrderEvents, type EventLog } from '../conformance/event-log.js';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import { demoAccount, has, startLoggedMarket, typesOf, waitFor } from '../util/test-helpers.js';
import { useSimulator, type SimulatorSpecContext } from './simulator-spec.js';

/** The market options the suite varies. */
export interface MarketSuiteOverrides {
  readonly tradingPairs?: readonly string[];
}

/** Rule fields the suite compares, as exact decimals. */
export type RuleNumbers = Partial<Record<keyof typeof RULE_FIELDS, string>>;

/** The short names of {@link RuleNumbers}: one pair's rule fits a line. */
const RULE_FIELDS = {
  /** `minOrderSize` */
  minSize: 'minOrderSize',
  /** `minBaseAmountIncrement` */
  step: 'minBaseAmountIncrement',
  /** `minPriceIncrement` */
  tick: 'minPriceIncrement',
  /** `minNotional` */
  minNotional: 'minNotional',
} as const satisfies Record<string, keyof TradingRule>;

/** How the exchange refuses a post-only order that would cross. */
export interface CrossingPostOnlyRefusal {
  /** What the error says. */
  readonly message: RegExp;
  readonly exchangeCode?: number | string;
  readonly httpStatus?: number;
  /** The order's status on the exchange afterwards (undefined: never created). */
  readonly exchangeStatus?: string;
}

/**
 * An exchange that accepts a post-only order that would cross and then cancels
 * it without a fill (Huobi's limit-maker as its simulator models it), instead of
 * refusing it with an error.
 */
export interface CrossingPostOnlyCancelled {
  readonly cancelledWithoutFill: true;
}

/** A connector's side of {@link describeMarketSuite}. */
export interface MarketSuiteAdapter<
  S extends SimulatorBase,
  M extends Market,
  O extends MarketSuiteOverrides = MarketSuiteOverrides,
> {
  /** Connector name, in the titles. */
  readonly name: string;
  /** The pair the tests trade (the market's default pair). */
  readonly pair: string;
  /** Starts the simulator (demo account) with `seed`. */
  startSimulator(seed: number): Promise<S>;
  /** The connector's market on the demo account. */
  createMarket(sim: S, overrides?: O | MarketSuiteOverrides): M;
  /** Where the rules come from, in the title ("exchangeInfo"). */
  readonly rulesSource: string;
  /** The rules the simulator lists, by pair (at least two pairs), as the market must load them (short names: {@link RuleNumbers}). */
  readonly rules: Readonly<Record<string, RuleNumbers>>;
  /**
   * The balances the market must report for the demo account (the traded pair's
   * quote among them); default what the simulator funded the demo account with.
   */
  readonly balances?: Readonly<Record<string, string>>;
  /** The asset a fill's fee is charged in. */
  feeAsset(side: OrderSide): string;
  /** The fee rates the demo account pays, when the exchange charges them on the quote amount. */
  readonly feeRates?: { readonly maker: string; readonly taker: string };
  /** How the exchange answers a post-only order that would cross: refused, or accepted and cancelled. */
  readonly crossingPostOnly: CrossingPostOnlyRefusal | CrossingPostOnlyCancelled;
  /**
   * Market buys are sized in quote (Huobi: the amount asked for is priced through
   * the book and sent as the quote to spend), so the base filled is near the
   * amount asked for (within 1 %), not equal to it. Default false.
   */
  readonly marketBuySizedInQuote?: boolean;
  /** Quantization: `[pair, 'amount' | 'price', given, expected]`. */
  readonly quantize: readonly (readonly [string, 'amount' | 'price', string, string])[];
  /** Checks on the exchange's record of our resting orders beyond the suite's (client id form, flags). */
  checkResting?(sim: S, apiKey: string, clientOrderIds: readonly string[]): void;
  /** The trade id our fill of an engine trade carries on the exchange's wire (default the engine's number). */
  fillTradeId?(sim: S, fill: AccountTrade): string;
  /**
   * Decimals the exchange reports a fill's fee with (Bittrex: 8), when fewer
   * than the engine computes; the charged fee is compared rounded to them.
   */
  readonly feeDecimals?: number;
  /**
   * The fee rate the exchange holds on top of a limit buy's notional, when the
   * buyer pays the fee in the quote (Bittrex holds the commission too); default none.
   */
  readonly buyFeeHeld?: string;
}

/** What extra tests of a connector get from the suite (valid inside a test). */
export interface MarketSuiteContext<
  S extends SimulatorBase,
  M extends Market,
  O extends MarketSuiteOverrides = MarketSuiteOverrides,
> extends SimulatorSpecContext<S> {
  /** The demo account's key. */
  readonly apiKey: string;
  /** A started, ready market with an event log; stopped after the test. */
  startMarket(overrides?: O): Promise<{ market: M; log: EventLog }>;
  /** Our fills of `clientOrderId` carry exactly the fees the exchange charged. */
  expectFeesCharged(log: EventLog, clientOrderId: string, side: OrderSide): void;
}

/** What the simulator funded its demo account with, as exact decimals. */
function fundedBalances(sim: SimulatorBase): Record<string, string> {
  const funded = sim.demoAccount?.balances ?? {};
  return Object.fromEntries(Object.entries(funded).map(([asset, v]) => [asset, new BigNumber(v).toFixed()]));
}

/** Registers the market tests of one connector; `extra` registers its own in the same `describe`. */
export function describeMarketSuite<
  S extends SimulatorBase,
  M extends Market,
  O extends MarketSuiteOverrides = MarketSuiteOverrides,
>(adapter: MarketSuiteAdapter<S, M, O>, extra?: (context: MarketSuiteContext<S, M, O>) => void): void {
  const PAIR = adapter.pair;
  const [, QUOTE] = PAIR.split('-') as [string, string];
  describe(`market test (seed requirement): ${adapter.name}`, () => {
    // A two-sided book with a spread of several ticks.
    const simulator = useSimulator(() => adapter.startSimulator(3), { seed: 7, steps: 100, pairs: [PAIR] });
    const apiKey = (): string =>
      demoAccount(simulator.sim as { demoAccount: { apiKey: string } | undefined }).apiKey;
    const startMarket = (overrides?: O | MarketSuiteOverrides): Promise<{ market: M; log: EventLog }> =>
      startLoggedMarket(simulator.cleanup, adapter.createMarket(simulator.sim, overrides));

    function expectFeesCharged(log: EventLog, id: string, side: OrderSide): void {
      const { sim } = simulator;
      const order = sim.orderByClientOrderId(apiKey(), id);
      if (order === undefined) throw new Error(`the simulator has no order ${id}`);
      const charged = sim.engine(order.pair).accountTrades(apiKey(), { orderId: order.orderId });
      const fills = log.fillsOf(id);
      expect(fills.length).toBe(charged.length);
      expect(fills.length).toBeGreaterThan(0);
      for (const t of charged) {
        const tradeId = adapter.fillTradeId?.(sim, t) ?? String(t.trade.tradeId);
        const fill = fills.find((f) => f.tradeId === tradeId);
        expect(fill).toBeDefined();
        expect(fill!.fee.asset).toBe(t.fee.asset);
        expect(fill!.fee.asset).toBe(adapter.feeAsset(side));
        const fee =
          adapter.feeDecimals === undefined ? t.fee.amount : t.fee.amount.decimalPlaces(adapter.feeDecimals);
        expect(fill!.fee.amount.toFixed()).toBe(fee.toFixed());
        expect(fill!.amount.toFixed()).toBe(t.trade.amount.toFixed());
      }
    }

    it(`loads the trading rules from ${adapter.rulesSource}`, async () => {
      const pairs = Object.keys(adapter.rules);
      const { market } = await startMarket({ tradingPairs: pairs });
      for (const pair of pairs) {
        const rule = market.tradingRules.get(pair);
        expect(rule).toBeDefined();
        const got = Object.fromEntries(
          Object.keys(adapter.rules[pair]!).map((k) => [
            k,
            (rule![RULE_FIELDS[k as keyof typeof RULE_FIELDS]] as BigNumber).toFixed(),
          ]),
        );
        expect({ pair, ...got }).toEqual({ pair, ...adapter.rules[pair] });
      }
      const rule = market.tradingRules.get(PAIR)!;
      expect(rule.tradingEnabled).toBe(true);
      expect([...rule.supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker', 'market']);
      expect(market.status.tradingRulesInitialized).toBe(true);
    });

    it('loads balances, and a resting order lowers the available balance', async () => {
      const { sim } = simulator;
      const { market, log } = await startMarket();
      const balances = adapter.balances ?? fundedBalances(sim);
      expect(Object.keys(balances)).toContain(QUOTE);
      for (const [asset, amount] of Object.entries(balances))
        expect(market.getBalance(asset).toFixed()).toBe(amount);
      expect(market.status.accountBalanceInitialized).toBe(true);
      const quote = new BigNumber(balances[QUOTE]!);
      const price = insideSpread(sim, PAIR, 'buy');
      const id = market.buy(PAIR, '0.01', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      const held = price.times('0.01').times(new BigNumber(adapter.buyFeeHeld ?? 0).plus(1));
      // Either from our own in-flight accounting or from the exchange's account update.
      await waitFor(`available ${QUOTE} to drop by the order`, () =>
        market.getAvailableBalance(QUOTE).eq(quote.minus(held)),
      );
      // The exchange's own hold, read back from the exchange.
      await waitFor(
        'the exchange balance',
        () => market.getBalance(QUOTE).eq(quote) && market.getAvailableBalance(QUOTE).lt(quote),
      );
    });

    it('places a limit (GTC) buy and sell that rest on the book', async () => {
      const { sim } = simulator;
      const { market, log } = await startMarket();
      const bidPrice = insideSpread(sim, PAIR, 'buy');
      const askPrice = insideSpread(sim, PAIR, 'sell');
      const buyId = market.buy(PAIR, '0.002', 'limit', bidPrice);
      const sellId = market.sell(PAIR, '0.003', 'limit', askPrice);
      await log.waitFor(
        'both created',
        () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
      );
      for (const id of [buyId, sellId]) {
        const onSim = sim.orderByClientOrderId(apiKey(), id);
        expect(onSim).toMatchObject({ status: 'new', timeInForce: 'GTC', postOnly: false });
        expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(onSim?.orderId);
        expect(market.inFlightOrders.get(id)?.state).toBe('OPEN');
      }
      adapter.checkResting?.(sim, apiKey(), [buyId, sellId]);
      expect(sim.engine(PAIR).bestBid()?.toFixed()).toBe(bidPrice.toFixed());
      expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(askPrice.toFixed());
    });

    it('a resting buy filled by another trader: Created, OrderFilled with the maker fee charged, Completed', async () => {
      const { sim } = simulator;
      const { market, log } = await startMarket();
      const price = insideSpread(sim, PAIR, 'buy');
      const id = market.buy(PAIR, '0.001', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      takeFromOurOrder(sim, apiKey(), PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(id);
      expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
      const [fill] = log.fillsOf(id);
      expect(fill!.price.toFixed()).toBe(price.toFixed());
      expect(fill!.isMaker).toBe(true);
      if (adapter.feeRates !== undefined)
        expect(fill!.fee.amount.toFixed()).toBe(price.times('0.001').times(adapter.feeRates.maker).toFixed());
      expectFeesCharged(log, id, 'buy');
      validateOrderEvents(id, log.events);
    });

    it('a post-only (limit_maker) buy and sell rest with post-only set', async () => {
      const { sim } = simulator;
      const { market, log } = await startMarket();
      const buyId = market.buy(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'buy'));
      const sellId = market.sell(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'sell'));
      await log.waitFor(
        'both created',
        () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
      );
      for (const id of [buyId, sellId]) {
        expect(sim.orderByClientOrderId(apiKey(), id)).toMatchObject({ status: 'new', postOnly: true });
        expect(has(log, id, 'OrderFailure')).toBe(false);
      }
    });

    const crossing = adapter.crossingPostOnly;
    if ('cancelledWithoutFill' in crossing) {
      it('a crossing post-only order is accepted, then cancelled by the exchange without a fill', async () => {
        const { sim } = simulator;
        const { market, log } = await startMarket();
        const ask = sim.engine(PAIR).bestAsk()!;
        const id = market.buy(PAIR, '0.001', 'limit_maker', ask);
        await log.waitForTerminal(id);
        expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
        expect(log.fillsOf(id)).toEqual([]);
        expect(sim.ledgerFilledAmount(apiKey(), id).toFixed()).toBe('0');
        // Nothing was taken: the ask is still there.
        expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(ask.toFixed());
      });
    } else {
      it('a crossing post-only order is refused by the exchange and fails as invalid_order', async () => {
        const { sim } = simulator;
        const refusal = crossing;
        const { market, log } = await startMarket();
        const ask = sim.engine(PAIR).bestAsk()!;
        const id = market.buy(PAIR, '0.001', 'limit_maker', ask);
        await log.waitForTerminal(id);
        expect(typesOf(log, id)).toEqual(['OrderFailure']);
        const { error } = log.failureOf(id);
        expect(error).toBeInstanceOf(HbError);
        expect(error).not.toBeInstanceOf(OrderRuleError);
        expect(error.reason).toBe('invalid_order');
        expect(error.message).toMatch(refusal.message);
        if (refusal.exchangeCode !== undefined) expect(error.exchangeCode).toBe(refusal.exchangeCode);
        if (refusal.httpStatus !== undefined) expect(error.httpStatus).toBe(refusal.httpStatus);
        expect(sim.orderByClientOrderId(apiKey(), id)?.status).toBe(refusal.exchangeStatus);
        // Nothing was taken: the ask is still there.
        expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(ask.toFixed());
      });
    }

    it.each(['buy', 'sell'] as const)(
      'a market %s fills, and each fill carries the taker fee the exchange charged',
      async (side) => {
        const { sim } = simulator;
        const { market, log } = await startMarket();
        const amount = new BigNumber('0.002');
        // The whole amount must be on the book, or the rest of the market order is cancelled.
        const truth = sim.trueBook(PAIR);
        const depth = (side === 'buy' ? truth.asks : truth.bids).reduce(
          (sum, [, a]) => sum.plus(a),
          new BigNumber(0),
        );
        expect(depth.gte(amount)).toBe(true);
        const id = side === 'buy' ? market.buy(PAIR, amount, 'market') : market.sell(PAIR, amount, 'market');
        await log.waitForTerminal(id);
        const types = typesOf(log, id);
        expect(types[0]).toBe(side === 'buy' ? 'BuyOrderCreated' : 'SellOrderCreated');
        expect(types[types.length - 1]).toBe(side === 'buy' ? 'BuyOrderCompleted' : 'SellOrderCompleted');
        validateOrderEvents(id, log.events);
        expect(sim.orderByClientOrderId(apiKey(), id)?.status).toBe('filled');
        expectFeesCharged(log, id, side);
        for (const f of log.fillsOf(id)) {
          expect(f.isMaker).toBe(false);
          if (adapter.feeRates !== undefined)
            expect(f.fee.amount.toFixed()).toBe(
              f.price.times(f.amount).times(adapter.feeRates.taker).toFixed(),
            );
        }
        expect(log.filledAmount(id).toFixed()).toBe(sim.ledgerFilledAmount(apiKey(), id).toFixed());
        if (side === 'buy' && adapter.marketBuySizedInQuote === true) {
          // The quote spent was priced from the book: the base filled is near the amount asked for.
          expect(log.filledAmount(id).minus(amount).abs().lte(amount.times('0.01'))).toBe(true);
        } else {
          expect(log.filledAmount(id).toFixed()).toBe('0.002');
        }
      },
    );

    it('quantizes amounts down to the size step and prices to the tick', async () => {
      const { market } = await startMarket({ tradingPairs: Object.keys(adapter.rules) });
      for (const [pair, what, given, expected] of adapter.quantize) {
        const got =
          what === 'amount'
            ? market.quantizeOrderAmount(pair, given)
            : market.quantizeOrderPrice(pair, given);
        expect([pair, what, given, got.toFixed()]).toEqual([pair, what, given, expected]);
      }
    });

    extra?.({
      get sim() {
        return simulator.sim;
      },
      cleanup: simulator.cleanup,
      state: undefined,
      get apiKey() {
        return apiKey();
      },
      startMarket,
      expectFeesCharged,
    });
  });
}
