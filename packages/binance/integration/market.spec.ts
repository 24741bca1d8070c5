// Seed requirement "market test": BinanceMarket against the Binance simulator on
// 127.0.0.1 — what is Binance's own: exchangeInfo rules, balances, every order
// type (LIMIT_MAKER, MARKET with its fees). Cancels, rule checks, unknown
// outcomes, 429, clock skew, funds, keys and restarts are the conformance
// suite's (conformance.spec.ts), shared by every connector.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { HbError, OrderRuleError } from '@hb/core/connector';
import { Cleanup, demoAccount, has, insideSpread, typesOf, validateOrderEvents, waitFor } from '@hb/testing';
import type { BinanceSimulator } from '../src/testing/index.js';
import { startMarket, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('market test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: BinanceSimulator;
  let apiKey: string;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 3 });
    apiKey = demoAccount(sim).apiKey;
    // A two-sided book around 30 000 with a spread of several ticks.
    sim.activity(7, { pairs: [PAIR] }).step(100);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  it('loads the trading rules from exchangeInfo', async () => {
    const { market } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USDT', 'ETH-BTC'] });
    const btc = market.tradingRules.get('BTC-USDT');
    const ethBtc = market.tradingRules.get('ETH-BTC');
    expect(btc).toBeDefined();
    expect(ethBtc).toBeDefined();
    expect(btc!.minOrderSize.toFixed()).toBe('0.00001');
    expect(btc!.minBaseAmountIncrement.toFixed()).toBe('0.00001');
    expect(btc!.minPriceIncrement.toFixed()).toBe('0.01');
    expect(btc!.minNotional.toFixed()).toBe('5');
    expect(btc!.tradingEnabled).toBe(true);
    expect([...btc!.supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker', 'market']);
    expect(ethBtc!.minPriceIncrement.toFixed()).toBe('0.00001');
    expect(ethBtc!.minBaseAmountIncrement.toFixed()).toBe('0.0001');
    expect(market.status.tradingRulesInitialized).toBe(true);
  });

  it('loads balances, and a resting order lowers the available balance', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    expect(market.getBalance('BTC').toFixed()).toBe('1');
    expect(market.getBalance('ETH').toFixed()).toBe('10');
    expect(market.getBalance('USDT').toFixed()).toBe('100000');

    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.01', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    const locked = price.times('0.01');
    // Either from our own in-flight accounting or from the exchange's account update.
    await waitFor('available USDT to drop by the order', () =>
      market.getAvailableBalance('USDT').eq(new BigNumber(100000).minus(locked)),
    );
    await waitFor(
      'the exchange balance update',
      () => market.getBalance('USDT').eq(100000) && market.getAvailableBalance('USDT').lt(100000),
    );
  });

  it('places a limit buy and a limit sell that rest on the book', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const bidPrice = insideSpread(sim, PAIR, 'buy');
    const askPrice = insideSpread(sim, PAIR, 'sell');
    const buyId = market.buy(PAIR, '0.002', 'limit', bidPrice);
    const sellId = market.sell(PAIR, '0.003', 'limit', askPrice);
    await log.waitFor(
      'both created',
      () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
    );

    const buyOnSim = sim.orderByClientOrderId(apiKey, buyId);
    const sellOnSim = sim.orderByClientOrderId(apiKey, sellId);
    expect(buyOnSim?.status).toBe('new');
    expect(sellOnSim?.status).toBe('new');
    expect(market.inFlightOrders.get(buyId)?.exchangeOrderId).toBe(buyOnSim?.orderId);
    expect(market.inFlightOrders.get(sellId)?.exchangeOrderId).toBe(sellOnSim?.orderId);
    expect(sim.engine(PAIR).bestBid()?.toFixed()).toBe(bidPrice.toFixed());
    expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(askPrice.toFixed());
    expect(market.inFlightOrders.get(buyId)?.state).toBe('OPEN');
  });

  it('a resting buy filled by another trader emits Created, OrderFilled, Completed', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.001', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
    await log.waitForTerminal(id);
    expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    const [fill] = log.fillsOf(id);
    expect(fill!.price.toFixed()).toBe(price.toFixed());
    expect(fill!.isMaker).toBe(true);
    validateOrderEvents(id, log.events);
  });

  it('a LIMIT_MAKER order rests when it does not cross', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const id = market.sell(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'sell'));
    await log.waitFor('Created', () => has(log, id, 'SellOrderCreated'));
    expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('new');
    expect(has(log, id, 'OrderFailure')).toBe(false);
  });

  it('a crossing LIMIT_MAKER order is refused by the exchange (-2010) as an invalid order', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const ask = sim.engine(PAIR).bestAsk()!;
    const id = market.buy(PAIR, '0.001', 'limit_maker', ask);
    await log.waitForTerminal(id);
    expect(typesOf(log, id)).toEqual(['OrderFailure']);
    const { error } = log.failureOf(id);
    expect(error).toBeInstanceOf(HbError);
    expect(error).not.toBeInstanceOf(OrderRuleError);
    expect(error.reason).toBe('invalid_order');
    expect(error.exchangeCode).toBe(-2010);
    expect(error.message).toMatch(/would immediately match/i);
    expect(sim.orderByClientOrderId(apiKey, id)).toBeUndefined();
  });

  it('a MARKET order fills, and each fill carries the fee the exchange charged', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const amount = new BigNumber('0.002');
    // The whole amount must be on the book, or the rest of the market order expires.
    const askDepth = sim.trueBook(PAIR).asks.reduce((sum, [, a]) => sum.plus(a), new BigNumber(0));
    expect(askDepth.gte(amount)).toBe(true);
    const id = market.buy(PAIR, amount, 'market');
    await log.waitForTerminal(id);
    const types = typesOf(log, id);
    expect(types[0]).toBe('BuyOrderCreated');
    expect(types[types.length - 1]).toBe('BuyOrderCompleted');
    validateOrderEvents(id, log.events);

    const onSim = sim.orderByClientOrderId(apiKey, id);
    expect(onSim?.status).toBe('filled');
    const charged = sim.engine(PAIR).accountTrades(apiKey, { orderId: onSim!.orderId });
    const fills = log.fillsOf(id);
    expect(fills.length).toBe(charged.length);
    expect(fills.length).toBeGreaterThan(0);
    for (const t of charged) {
      const fill = fills.find((f) => f.tradeId === String(t.trade.tradeId));
      expect(fill).toBeDefined();
      expect(fill!.fee.asset).toBe(t.fee.asset);
      expect(fill!.fee.amount.toFixed()).toBe(t.fee.amount.toFixed());
      expect(fill!.amount.toFixed()).toBe(t.trade.amount.toFixed());
      expect(fill!.isMaker).not.toBe(true);
    }
    // A buy pays its fee in the base asset it receives.
    expect(fills.every((f) => f.fee.asset === 'BTC')).toBe(true);
    const done = log.forOrder(id).find((e) => e.type === 'BuyOrderCompleted');
    expect(done?.type === 'BuyOrderCompleted' && done.executedBaseAmount.toFixed()).toBe('0.002');
  });

  it('quantizes amounts down to the size step and prices to the tick', async () => {
    const { market } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USDT', 'ETH-BTC'] });
    expect(market.quantizeOrderAmount('BTC-USDT', '0.123456789').toFixed()).toBe('0.12345');
    expect(market.quantizeOrderAmount('BTC-USDT', '0.000009').toFixed()).toBe('0');
    expect(market.quantizeOrderAmount('ETH-BTC', '1.23456').toFixed()).toBe('1.2345');
    const price = market.quantizeOrderPrice('BTC-USDT', '30000.123');
    expect(price.toFixed()).toBe('30000.12');
    expect(market.quantizeOrderPrice('ETH-BTC', '0.0612345').toFixed()).toBe('0.06123');
  });
});
