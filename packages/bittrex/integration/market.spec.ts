// Seed requirement "market test": BittrexMarket against the Bittrex simulator on
// 127.0.0.1 — trading rules from /v3/markets, balances, every order type with our
// client order id, cancels, the rule checks made before sending, the exchange's
// refusals, and the unknown-outcome faults of the order path.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { HbError, OrderRuleError, type MarketNotice } from '@hb/core/connector';
import {
  Cleanup,
  demoAccount,
  has,
  insideSpread,
  sleep,
  typesOf,
  validateOrderEvents,
  waitFor,
} from '@hb/testing';
import type { BittrexSimulator } from '../src/testing/index.js';
import { startMarket, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('market test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: BittrexSimulator;
  let apiKey: string;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 3 });
    apiKey = demoAccount(sim).apiKey;
    sim.activity(7, { pairs: [PAIR] }).step(100);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  it('loads the trading rules from /v3/markets (precision -> tick, minTradeSize, status)', async () => {
    sim.setMarketStatus('ETH-BTC', 'OFFLINE');
    const { market } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USDT', 'ETH-BTC'] });
    const btc = market.tradingRules.get('BTC-USDT')!;
    const ethBtc = market.tradingRules.get('ETH-BTC')!;
    expect(btc.minPriceIncrement.toFixed()).toBe('0.001');
    expect(btc.minOrderSize.toFixed()).toBe('0.0001');
    expect(btc.minBaseAmountIncrement.toFixed()).toBe('0.00000001');
    expect(btc.tradingEnabled).toBe(true);
    expect([...btc.supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker', 'market']);
    expect(ethBtc.minPriceIncrement.toFixed()).toBe('0.000001');
    expect(ethBtc.tradingEnabled).toBe(false);
  });

  it('loads balances, and a resting order lowers the available balance', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    expect(market.getBalance('BTC').toFixed()).toBe('1');
    expect(market.getBalance('USDT').toFixed()).toBe('100000');
    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.01', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    await waitFor('the balance delta from the stream', () => market.getAvailableBalance('USDT').lt(100000));
    expect(market.getBalance('USDT').toFixed()).toBe('100000');
  });

  it('a limit buy and a limit sell rest on the book, each with our UUID as clientOrderId', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const bidPrice = insideSpread(sim, PAIR, 'buy');
    const askPrice = insideSpread(sim, PAIR, 'sell');
    const buyId = market.buy(PAIR, '0.002', 'limit', bidPrice);
    const sellId = market.sell(PAIR, '0.003', 'limit', askPrice);
    expect(buyId).toMatch(UUID);
    await log.waitFor(
      'both created',
      () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
    );
    const onSim = sim.orderByClientOrderId(apiKey, buyId);
    expect(onSim?.status).toBe('new');
    expect(market.inFlightOrders.get(buyId)?.exchangeOrderId).toBe(onSim?.orderId);
    expect(sim.engine(PAIR).bestBid()?.toFixed()).toBe(bidPrice.toFixed());
    expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(askPrice.toFixed());
    const open = await market.fetchOpenOrders(PAIR);
    expect(open.map((o) => o.clientOrderId).sort()).toEqual([buyId, sellId].sort());
  });

  it('a resting buy filled by another trader: Created, OrderFilled with the commission charged, Completed', async () => {
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
    expect(fill!.fee.asset).toBe('USDT');
    // The wire carries 8 decimals of the commission the engine charged.
    expect(fill!.fee.amount.toFixed(8)).toBe(sim.orderByClientOrderId(apiKey, id)!.feePaid.toFixed(8));
    expect(fill!.fee.amount.gt(0)).toBe(true);
    validateOrderEvents(id, log.events);
  });

  it('post-only (limit_maker) rests when it does not cross; crossing, it is refused with POST_ONLY', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const ok = market.sell(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'sell'));
    await log.waitFor('Created', () => has(log, ok, 'SellOrderCreated'));
    const bad = market.buy(PAIR, '0.001', 'limit_maker', sim.engine(PAIR).bestAsk()!);
    await log.waitForTerminal(bad);
    expect(typesOf(log, bad)).toEqual(['OrderFailure']);
    const { error } = log.failureOf(bad);
    expect(error).not.toBeInstanceOf(OrderRuleError);
    expect(error.reason).toBe('invalid_order');
    expect(error.exchangeCode).toBe('POST_ONLY');
    expect(error.httpStatus).toBe(409);
  });

  it('a MARKET order (IOC) fills, each fill carrying the commission in quote', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const id = market.buy(PAIR, '0.002', 'market');
    await log.waitForTerminal(id);
    expect(typesOf(log, id)[0]).toBe('BuyOrderCreated');
    expect(typesOf(log, id).at(-1)).toBe('BuyOrderCompleted');
    const fills = log.fillsOf(id);
    const total = fills.reduce((s, f) => s.plus(f.amount), new BigNumber(0));
    expect(total.toFixed()).toBe('0.002');
    const fees = fills.reduce((s, f) => s.plus(f.fee.amount), new BigNumber(0));
    expect(fees.minus(sim.orderByClientOrderId(apiKey, id)!.feePaid).abs().lte('0.00000001')).toBe(true);
    for (const f of fills) expect(f.isMaker).toBe(false);
  });

  it('IOC and FOK limit orders: an IOC remainder ends cancelled; an unfillable FOK is refused with FILL_OR_KILL', async () => {
    const ioc = await startMarket(cleanup, sim, { limitTimeInForce: 'IMMEDIATE_OR_CANCEL' });
    const id = ioc.market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
    await ioc.log.waitForTerminal(id);
    expect(typesOf(ioc.log, id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
    const fok = await startMarket(cleanup, sim, { limitTimeInForce: 'FILL_OR_KILL' });
    const ask = sim.engine(PAIR).bestAsk()!;
    const f = fok.market.buy(PAIR, '50', 'limit', ask);
    await fok.log.waitForTerminal(f);
    const { error } = fok.log.failureOf(f);
    expect(['FILL_OR_KILL', 'INSUFFICIENT_FUNDS']).toContain(error.exchangeCode);
  });

  it('cancel ends a resting order with one OrderCancelled; cancelAll cancels every active order', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const a = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
    const b = market.sell(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'sell'));
    await log.waitFor('Created', () => has(log, a, 'BuyOrderCreated') && has(log, b, 'SellOrderCreated'));
    await market.cancel(PAIR, a);
    await log.waitForTerminal(a);
    expect(typesOf(log, a)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
    const results = await market.cancelAll(5_000);
    expect(results).toEqual([{ clientOrderId: b, success: true }]);
    expect(sim.orderByClientOrderId(apiKey, b)?.status).toBe('cancelled');
  });

  it('an order below minTradeSize is refused before sending; so is one off the tick', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    const small = market.buy(PAIR, '0.00005', 'limit', insideSpread(sim, PAIR, 'buy'));
    const offTick = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy').plus('0.0001'));
    await log.waitForTerminal(small);
    await log.waitForTerminal(offTick);
    expect(log.failureOf(small).error).toBeInstanceOf(OrderRuleError);
    expect((log.failureOf(small).error as OrderRuleError).rule).toBe('min_order_size');
    expect((log.failureOf(offTick).error as OrderRuleError).rule).toBe('price_tick');
    await sleep(50); // a grace for a request that must not come: absence cannot be waited for
    expect(sim.orderRequestCount(apiKey)).toBe(before);
  });

  it('an order the account cannot pay for fails with INSUFFICIENT_FUNDS (reason insufficient_funds)', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    const id = market.buy(PAIR, '10', 'limit', insideSpread(sim, PAIR, 'buy'));
    await log.waitForTerminal(id);
    const { error } = log.failureOf(id);
    expect(error.reason).toBe('insufficient_funds');
    expect(error.exchangeCode).toBe('INSUFFICIENT_FUNDS');
    expect(error.httpStatus).toBe(409);
    expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
  });

  it('a wrong secret: every private call is refused with INVALID_SIGNATURE, no secret in any message', async () => {
    const market = new (await import('../src/bittrex-market.js')).BittrexMarket({
      tradingPairs: [PAIR],
      apiKey,
      apiSecret: 'not-the-secret-1234567890abcdef',
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
    });
    cleanup.add(() => market.stop());
    let e: unknown;
    try {
      await market.start();
      await market.fetchOpenOrders(PAIR);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(HbError);
    expect((e as HbError).reason).toBe('authentication');
    expect((e as HbError).exchangeCode).toBe('INVALID_SIGNATURE');
    expect(JSON.stringify(e) + String(e)).not.toContain('not-the-secret');
  });

  describe('faults', () => {
    it('429 THROTTLED: the order fails as rate_limit, unplaced; the next one completes', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      sim.rateLimitNext(1, { path: '/v3/orders', body: { code: 'THROTTLED' } });
      const first = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitForTerminal(first);
      expect(log.failureOf(first).error.reason).toBe('rate_limit');
      expect(log.failureOf(first).error.exchangeCode).toBe('THROTTLED');
      expect(sim.orderByClientOrderId(apiKey, first)).toBeUndefined();
      const second = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitFor('second created', () => has(log, second, 'BuyOrderCreated'), 8_000);
    });

    it('a placement that timed out but reached the exchange is found by client id: Created once, never failed', async () => {
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
      await waitFor('the placement timeout', () =>
        notices.some((n) => n.kind === 'placement_unknown' && n.clientOrderId === id),
      );
      expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(
        sim.orderByClientOrderId(apiKey, id)?.orderId,
      );
      // Bittrex has no lookup by client id: the open orders were searched.
      expect(
        sim
          .requestLog()
          .slice(logStart)
          .some((r) => r.method === 'GET' && r.path === '/v3/orders/open'),
      ).toBe(true);
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(id, 8_000);
      await sleep(100); // a grace for a duplicate event that must not come
      expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
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
      expect(sim.orderRequestCount(apiKey)).toBe(before + 1);
      const closedLookups = sim.requestLog().filter((r) => r.path === '/v3/orders/closed');
      expect(closedLookups.length).toBeGreaterThanOrEqual(3);
    });

    it('a partial fill while the user stream is down reaches the user exactly once, by polling', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      const price = insideSpread(sim, PAIR, 'sell');
      const id = market.sell(PAIR, '0.004', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'SellOrderCreated'));
      const outage = sim.userStreamDown();
      cleanup.add(() => outage.restore());
      sim.takeFromAccount(apiKey, PAIR, 'sell', price, '0.001');
      await log.waitFor('the fill by polling', () => log.fillsOf(id).length === 1, 8_000);
      outage.restore();
      await waitFor('the user stream back', () => sim.hub.userSockets().length === 1, 8_000);
      sim.takeFromAccount(apiKey, PAIR, 'sell', price, '0.003');
      await log.waitForTerminal(id, 8_000);
      await sleep(200); // a grace for a doubled fill that must not come
      expect(log.fillsOf(id).map((f) => f.amount.toFixed())).toEqual(['0.001', '0.003']);
      validateOrderEvents(id, log.events);
    });

    it('a lost execution message (private sequence gap): the fill is recovered by REST, exactly once', async () => {
      const { market, log } = await startMarket(cleanup, sim);
      const price = insideSpread(sim, PAIR, 'buy');
      const id = market.buy(PAIR, '0.002', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      sim.faults.skipSequence({ stream: 'execution' });
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log.waitFor('the first fill', () => log.fillsOf(id).length === 1, 8_000);
      sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(id, 8_000);
      await sleep(200); // a grace for a doubled fill that must not come
      expect(log.fillsOf(id).map((f) => f.amount.toFixed())).toEqual(['0.001', '0.001']);
      validateOrderEvents(id, log.events);
    });

    it('a clock 2 minutes off the server: INVALID_TIMESTAMP, re-sync from /ping, one retry that succeeds', async () => {
      const { market } = await startMarket(cleanup, sim);
      sim.skewClock(120_000);
      const before = sim.requestLog().filter((r) => r.path === '/v3/ping').length;
      await expect(market.fetchOpenOrders(PAIR)).resolves.toEqual([]);
      expect(sim.requestLog().filter((r) => r.path === '/v3/ping').length).toBeGreaterThan(before);
    });
  });
});
