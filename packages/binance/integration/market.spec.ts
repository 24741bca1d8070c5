// Seed requirement "market test": BinanceMarket against the Binance simulator on
// 127.0.0.1 — trading rules, balances, every order type, cancels, the rule checks
// made before sending, and the unknown-outcome faults of the order path.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { HbError, OrderRuleError, type MarketNotice } from '@hb/core';
import {
  Cleanup,
  EventLog,
  demoAccount,
  has,
  insideSpread,
  sleep,
  typesOf,
  validateOrderEvents,
  waitFor,
} from '@hb/testing';
import { BinanceMarket } from '../src/binance-market.js';
import type { BinanceSimulator } from '../src/testing/index.js';
import { marketOptions, startMarket, startSimulator } from './helpers/sim-env.js';

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

  it('cancel ends a resting order with one OrderCancelled', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const id = market.sell(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'sell'));
    await log.waitFor('Created', () => has(log, id, 'SellOrderCreated'));
    await market.cancel(PAIR, id);
    await log.waitForTerminal(id);
    await sleep(100);
    expect(typesOf(log, id)).toEqual(['SellOrderCreated', 'OrderCancelled']);
    expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('cancelled');
  });

  it('cancelAll cancels every active order', async () => {
    const { market, log } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USDT', 'ETH-USDT'] });
    sim.activity(11, { pairs: ['ETH-USDT'] }).step(100);
    const ids = [
      market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy')),
      market.sell(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'sell')),
      market.buy('ETH-USDT', '0.01', 'limit', insideSpread(sim, 'ETH-USDT', 'buy')),
    ];
    await log.waitFor('all created', () =>
      ids.every((id) => has(log, id, 'BuyOrderCreated') || has(log, id, 'SellOrderCreated')),
    );
    const results = await market.cancelAll(5_000);
    expect(results.map((r) => r.clientOrderId).sort()).toEqual([...ids].sort());
    expect(results.every((r) => r.success)).toBe(true);
    for (const id of ids) {
      expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('cancelled');
      validateOrderEvents(id, log.events);
    }
    expect(market.activeOrders).toHaveLength(0);
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

  it('an order below the minimum size is refused before sending', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    const id = market.buy(PAIR, '0.000001', 'limit', insideSpread(sim, PAIR, 'buy'));
    await log.waitForTerminal(id);
    const { error } = log.failureOf(id);
    expect(error).toBeInstanceOf(OrderRuleError);
    expect((error as OrderRuleError).rule).toBe('min_order_size');
    expect(error.reason).toBe('invalid_order');
    await sleep(50);
    expect(sim.orderRequestCount(apiKey)).toBe(before);
  });

  it('an order off the price tick is refused before sending', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    const id = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy').plus('0.005'));
    await log.waitForTerminal(id);
    const { error } = log.failureOf(id);
    expect(error).toBeInstanceOf(OrderRuleError);
    expect((error as OrderRuleError).rule).toBe('price_tick');
    await sleep(50);
    expect(sim.orderRequestCount(apiKey)).toBe(before);
  });

  it('an order the account cannot pay for fails with reason insufficient_funds', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    // 10 BTC at ~30 000 is 300 000 USDT; the account holds 100 000.
    const id = market.buy(PAIR, '10', 'limit', insideSpread(sim, PAIR, 'buy'));
    await log.waitForTerminal(id);
    expect(typesOf(log, id)).toEqual(['OrderFailure']);
    const { error } = log.failureOf(id);
    expect(error.reason).toBe('insufficient_funds');
    expect(error.exchangeCode).toBe(-2010);
    expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
  });

  describe('faults', () => {
    it('429 with Retry-After: the order fails cleanly as rate_limit, the client holds back, the next order completes, no 418', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      const notices: MarketNotice[] = [];
      const sub = market.notices$.subscribe((n) => notices.push(n));
      cleanup.add(() => sub.unsubscribe());

      const logStart = sim.requestLog().length;
      sim.rateLimitNext(1, { path: '/api/v3/order', retryAfterSec: 1 });
      const first = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitForTerminal(first);
      const { error } = log.failureOf(first);
      expect(error.reason).toBe('rate_limit');
      expect(error.httpStatus).toBe(429);
      expect(error.retryAfterMs).toBe(1_000);
      expect(market.api.rateLimiter.penalizedUntil).toBeGreaterThan(0);
      expect(sim.orderByClientOrderId(apiKey, first)).toBeUndefined();

      const price = insideSpread(sim, PAIR, 'buy');
      const second = market.buy(PAIR, '0.001', 'limit', price);
      await log.waitFor('the second order to be created', () => has(log, second, 'BuyOrderCreated'));
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(second);
      expect(typesOf(log, second)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);

      // The second placement waited out Retry-After: on Binance, a request inside the
      // wait is what escalates a 429 into a 418 IP ban.
      const posts = sim
        .requestLog()
        .slice(logStart)
        .filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
      expect(posts).toHaveLength(2);
      expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(1_000 - 50);
      const errors = [error, ...notices.flatMap((n) => ('error' in n ? [n.error] : []))];
      expect(errors.some((e) => e.httpStatus === 418)).toBe(false);
    });

    it('a placement that timed out but reached the exchange is found by client id: Created once, never failed', async () => {
      // No user stream: the only way to learn the order exists is the lookup by client id.
      const { market, log } = await startMarket(cleanup, sim, {
        requestTimeoutMs: 1_000,
        useUserStream: false,
      });
      const notices: MarketNotice[] = [];
      const sub = market.notices$.subscribe((n) => notices.push(n));
      cleanup.add(() => sub.unsubscribe());
      const before = sim.orderRequestCount(apiKey);
      const logStart = sim.requestLog().length;

      sim.failNextOrder({ apply: true, outcome: 'timeout' });
      const price = insideSpread(sim, PAIR, 'buy');
      const id = market.buy(PAIR, '0.001', 'limit', price);
      await log.waitFor('Created after the lookup', () => has(log, id, 'BuyOrderCreated'), 8_000);
      // The regular poll may find the order (by client id) before the request times out.
      await waitFor('the placement timeout', () =>
        notices.some(
          (n) => n.kind === 'placement_unknown' && n.clientOrderId === id && n.error.reason === 'timeout',
        ),
      );
      expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(
        sim.orderByClientOrderId(apiKey, id)?.orderId,
      );
      expect(
        sim
          .requestLog()
          .slice(logStart)
          .some((r) => r.method === 'GET' && r.path === '/api/v3/order'),
      ).toBe(true);

      // Still tracked: a fill reaches us (by polling) and completes it.
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(id, 8_000);
      await sleep(100);
      expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
      expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
    });

    it('a 5xx answer to an order that was placed: the lookup settles it, Created once, not failed', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      const before = sim.orderRequestCount(apiKey);
      sim.failNextOrder({ apply: true, outcome: 503 });
      const id = market.sell(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'sell'));
      await log.waitFor('Created after the lookup', () => has(log, id, 'SellOrderCreated'), 8_000);
      await sleep(300);
      expect(typesOf(log, id)).toEqual(['SellOrderCreated']);
      expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('new');
      expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
    });

    it('a 5xx answer to an order that was not placed: failed after the not-found limit, never sent twice', async () => {
      const { market, log } = await startMarket(cleanup, sim, { slowPollIntervalMs: 300 });
      const before = sim.orderRequestCount(apiKey);
      sim.failNextOrder({ apply: false, outcome: 503 });
      const id = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitForTerminal(id, 10_000);
      expect(typesOf(log, id)).toEqual(['OrderFailure']);
      expect(log.failureOf(id).error.reason).toBe('order_not_found');
      expect(sim.orderByClientOrderId(apiKey, id)).toBeUndefined();
      expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
      // The lookups were by client id, at least the not-found limit of them.
      const lookups = sim.requestLog().filter((r) => r.method === 'GET' && r.path === '/api/v3/order');
      expect(lookups.length).toBeGreaterThanOrEqual(3);
    });

    it('a partial fill made while the user stream is down reaches the user exactly once, by polling', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      const price = insideSpread(sim, PAIR, 'sell');
      const id = market.sell(PAIR, '0.004', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'SellOrderCreated'));

      const outage = sim.userStreamDown();
      cleanup.add(() => outage.restore());
      sim.takeFromAccount(apiKey, PAIR, 'sell', price, '0.0015');
      await log.waitFor('the fill while the stream is down', () => log.filledAmount(id).eq('0.0015'), 8_000);
      expect(sim.userStreamSubscriptions()).toHaveLength(0);
      outage.restore();
      await waitFor('the user stream to be back', () => sim.userStreamSubscriptions().length === 1);
      await sleep(300);
      expect(log.fillsOf(id)).toHaveLength(1);

      sim.takeFromAccount(apiKey, PAIR, 'sell', price, '0.0025');
      await log.waitForTerminal(id);
      await sleep(100);
      validateOrderEvents(id, log.events);
      expect(log.fillsOf(id)).toHaveLength(2);
      expect(log.filledAmount(id).toFixed()).toBe(sim.ledgerFilledAmount(apiKey, id).toFixed());
    });

    it('a clock 2 s ahead of the server: -1021, re-sync, one retry that succeeds', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      expect(Math.abs(market.api.serverTime.offsetMs)).toBeLessThan(500);
      const logStart = sim.requestLog().length;
      const before = sim.orderRequestCount(apiKey);
      // The server's clock falls 2 s behind ours: our timestamps are 2 s in its future.
      sim.skewClock(-2_000);
      const id = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      expect(has(log, id, 'OrderFailure')).toBe(false);
      expect(market.api.serverTime.offsetMs).toBeLessThan(-1_500);
      // The first attempt was refused with -1021, the retry after the re-sync was accepted.
      expect(sim.orderRequestCount(apiKey)).toBe(before + 2);
      const paths = sim
        .requestLog()
        .slice(logStart)
        .map((r) => `${r.method} ${r.path}`);
      const firstPost = paths.indexOf('POST /api/v3/order');
      const resync = paths.indexOf('GET /api/v3/time', firstPost);
      expect(resync).toBeGreaterThan(firstPost);
      expect(paths.indexOf('POST /api/v3/order', resync)).toBeGreaterThan(resync);
      expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('new');
    });

    it('tracking states survive a restart: the order is still tracked and a fill made while stopped arrives once', async () => {
      const { market: first, log: log1 } = await startMarket(cleanup, sim);
      const price = insideSpread(sim, PAIR, 'buy');
      const id = first.buy(PAIR, '0.003', 'limit', price);
      await log1.waitFor('Created', () => has(log1, id, 'BuyOrderCreated'));
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log1.waitFor('the first fill', () => log1.filledAmount(id).eq('0.001'));
      const saved: unknown = JSON.parse(JSON.stringify(first.trackingStates));
      await first.stop();

      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      const second = new BinanceMarket(marketOptions(sim));
      const log2 = new EventLog(second);
      cleanup.add(() => second.stop());
      cleanup.add(() => log2.stop());
      second.restoreTrackingStates(saved as typeof first.trackingStates);
      expect(second.inFlightOrders.get(id)?.executedBaseAmount.toFixed()).toBe('0.001');
      await second.start();
      await log2.waitFor('the fill made while stopped', () => log2.filledAmount(id).eq('0.001'));
      await sleep(300);

      const all = [...log1.events, ...log2.events];
      validateOrderEvents(id, all);
      expect(log1.filledAmount(id).plus(log2.filledAmount(id)).toFixed()).toBe(
        sim.ledgerFilledAmount(apiKey, id).toFixed(),
      );
      expect(log2.fillsOf(id)).toHaveLength(1);
      expect(second.activeOrders.map((o) => o.clientOrderId)).toEqual([id]);

      // The restored order is fully live: the rest fills through the new market's stream.
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log2.waitForTerminal(id);
      expect(typesOf(log2, id)).toEqual(['OrderFilled', 'OrderFilled', 'BuyOrderCompleted']);
    });
  });
});
