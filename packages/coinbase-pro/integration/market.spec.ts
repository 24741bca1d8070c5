// Seed requirement "market test" (the shared market suite): CoinbaseProMarket against
// the Coinbase simulator on 127.0.0.1. Coinbase's numbers: /products rules (no
// minimum size since 2022, only minimum funds), fees on the quote amount, our ids
// as client_oid (UUIDv4), a crossing post-only order answered 200 with status
// rejected. Its own: the product status flags, balances after a fill, the
// CB-AFTER cursor, minimum funds, purged orders.
import { expect, it, describe } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { OrderRuleError, isUuidV4 } from '@hb/core/connector';
import {
  demoAccount,
  has,
  insideSpread,
  takeFromOurOrder,
  typesOf,
  waitFor,
  waitForLaterRequests,
} from '@hb/testing';
import { describeMarketSuite } from '@hb/testing/suites';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../src/coinbase-pro-market.js';
import { COINBASE_PRO_CLIENT_ORDER_IDS } from '../src/coinbase-pro-utils.js';
import type { CoinbaseProSimulator } from '../src/testing/index.js';
import { factories, startMarket as startMarketOn, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';

describeMarketSuite<CoinbaseProSimulator, CoinbaseProMarket, Partial<CoinbaseProMarketOptions>>(
  {
    name: 'coinbase-pro',
    pair: PAIR,
    ...factories,
    rulesSource: '/products: tick, step, minimum funds',
    rules: {
      // Since 2022 Coinbase has no minimum size, only minimum funds.
      'BTC-USD': { tick: '0.01', step: '0.00000001', minNotional: '1', minSize: '0' },
      'ETH-BTC': { tick: '0.00001', minNotional: '0.0001' },
    },
    feeAsset: () => 'USD',
    feeRates: { maker: '0.004', taker: '0.006' },
    crossingPostOnly: { message: /post.?only/i, httpStatus: 200, exchangeStatus: 'rejected' },
    quantize: [
      ['BTC-USD', 'amount', '0.123456789', '0.12345678'],
      ['BTC-USD', 'price', '30000.123', '30000.12'],
      ['ETH-BTC', 'price', '0.0612345', '0.06123'],
    ],
    // Our ids are what Coinbase accepts as client_oid: lowercase UUIDv4s (the
    // simulator indexes an order by client_oid only when the request carried a valid one).
    checkResting: (_sim, _apiKey, ids) => expect(ids.every(isUuidV4)).toBe(true),
  },
  (context) => {
    it('reads the status flags limit_only, post_only, cancel_only, trading_disabled and refuses what they forbid before sending', async () => {
      const { cleanup } = context;
      const flagged = await startSimulator(cleanup, {
        seed: 4,
        products: [
          { id: 'BTC-USD', midPrice: '30000' },
          { id: 'LTC-USD', midPrice: '80', limitOnly: true },
          { id: 'SOL-USD', midPrice: '150', postOnly: true },
          { id: 'ADA-USD', midPrice: '1', cancelOnly: true },
          { id: 'XRP-USD', midPrice: '1', tradingDisabled: true },
          { id: 'DOT-USD', midPrice: '5', status: 'delisted' },
        ],
      });
      const pairs = ['LTC-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOT-USD'];
      const { market, log } = await startMarketOn(cleanup, flagged, { tradingPairs: pairs });
      const rule = (pair: string) => {
        const r = market.tradingRules.get(pair);
        if (r === undefined) throw new Error(`no rule for ${pair}`);
        return r;
      };
      expect([...rule('LTC-USD').supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker']);
      expect(rule('LTC-USD').tradingEnabled).toBe(true);
      expect([...rule('SOL-USD').supportedOrderTypes]).toEqual(['limit_maker']);
      expect(rule('SOL-USD').tradingEnabled).toBe(true);
      expect(rule('ADA-USD').tradingEnabled).toBe(false);
      expect(rule('XRP-USD').tradingEnabled).toBe(false);
      expect(rule('DOT-USD').tradingEnabled).toBe(false);

      const key = demoAccount(flagged).apiKey;
      const before = flagged.orderRequestCount(key);
      const refused = [
        { id: market.buy('LTC-USD', '1', 'market'), rule: 'order_type' },
        { id: market.buy('SOL-USD', '1', 'limit', '100'), rule: 'order_type' },
        { id: market.buy('ADA-USD', '10', 'limit', '0.5'), rule: 'trading_disabled' },
        { id: market.buy('XRP-USD', '10', 'limit', '0.5'), rule: 'trading_disabled' },
      ];
      for (const r of refused) {
        await log.waitForTerminal(r.id);
        const { error } = log.failureOf(r.id);
        expect(error).toBeInstanceOf(OrderRuleError);
        expect((error as OrderRuleError).rule).toBe(r.rule);
      }
      // What the flags allow still goes through.
      const allowed = market.buy('SOL-USD', '1', 'limit_maker', '100');
      await log.waitFor('the post-only order on the post-only product', () =>
        has(log, allowed, 'BuyOrderCreated'),
      );
      await waitForLaterRequests(flagged, 'the market carrying on after the refusals', { apiKey: key });
      expect(flagged.orderRequestCount(key)).toBe(before + 1);
    });

    it('balances follow a fill: after a buy fill, base up and quote down, as the exchange says', async () => {
      const { sim, apiKey, startMarket } = context;
      const { market, log } = await startMarket();
      const btc = market.getBalance('BTC');
      const usd = market.getBalance('USD');
      const price = insideSpread(sim, PAIR, 'buy');
      const id = market.buy(PAIR, '0.001', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      takeFromOurOrder(sim, apiKey, PAIR, 'buy', price, '0.001');
      await log.waitForTerminal(id);
      const fee = price.times('0.001').times('0.004');
      await waitFor('balances to follow the fill', () => market.getBalance('BTC').eq(btc.plus('0.001')));
      expect(market.getBalance('USD').toFixed()).toBe(usd.minus(price.times('0.001')).minus(fee).toFixed());
    });

    it('fetchOpenOrders follows the CB-AFTER cursor over more than one page', async () => {
      const { sim, apiKey, startMarket } = context;
      const { market } = await startMarket();
      // 130 resting buys far below the market, placed on the exchange directly (the
      // client sends 100 per page): two pages.
      const oids: string[] = [];
      for (let i = 0; i < 130; i++) {
        const client_oid = COINBASE_PRO_CLIENT_ORDER_IDS.create('buy', PAIR);
        oids.push(client_oid);
        sim.exchange.placeOrder(apiKey, {
          product_id: PAIR,
          side: 'buy',
          type: 'limit',
          price: new BigNumber(20000).plus(i).toFixed(),
          size: '0.0001',
          client_oid,
        });
      }
      const logStart = sim.requestLog().length;
      const open = await market.fetchOpenOrders(PAIR);
      expect(open).toHaveLength(130);
      expect(new Set(open.map((o) => o.clientOrderId))).toEqual(new Set(oids));
      expect(open.every((o) => o.state === 'OPEN' && o.orderType === 'limit' && o.side === 'buy')).toBe(true);
      const pages = sim
        .requestLog()
        .slice(logStart)
        .filter((r) => r.method === 'GET' && r.path === '/orders');
      expect(pages).toHaveLength(2);
    });

    it('an order below the minimum funds is refused before sending', async () => {
      const { sim, apiKey, startMarket } = context;
      const { market, log } = await startMarket();
      const before = sim.orderRequestCount(apiKey);
      // 0.00001 BTC at ~30 000 is 0.30 USD; the minimum is 1 USD.
      const id = market.buy(PAIR, '0.00001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitForTerminal(id);
      const { error } = log.failureOf(id);
      expect(error).toBeInstanceOf(OrderRuleError);
      expect((error as OrderRuleError).rule).toBe('min_notional');
      expect(error.reason).toBe('invalid_order');
      await waitForLaterRequests(sim, 'the market carrying on after the refusal', { apiKey });
      expect(sim.orderRequestCount(apiKey)).toBe(before);
    });

    describe('faults', () => {
      it('a cancelled order with no fills that the exchange purges (404 afterwards) ends CANCELED, not FAILED', async () => {
        const { sim, startMarket } = context;
        // No user channel: the outcome of the cancel is learnt by the lookup, which answers 404.
        const { market, log } = await startMarket({ useUserStream: false });
        const id = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
        await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
        await market.cancel(PAIR, id);
        await log.waitForTerminal(id, 8_000);
        // A duplicate event would come from a later pass of the market's order polling.
        await waitForLaterRequests(sim, 'the market polling on after the cancel');
        expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
        expect(market.inFlightOrders.get(id)?.state ?? 'CANCELED').toBe('CANCELED');
        // The exchange forgot it: a lookup by client id is 404 NotFound.
        await expect(market.api.orderByClientOid(id)).rejects.toMatchObject({
          reason: 'order_not_found',
          httpStatus: 404,
        });
      });

      it('our order cancelled by self-trade prevention, unheard of on the stream and purged (404), ends CANCELED instead of open for ever', async () => {
        const { sim, apiKey, startMarket } = context;
        // No user channel: the `done` message is lost and only lookups, answering
        // 404 once Coinbase purged the fill-less cancel, can tell what happened.
        const { market, log } = await startMarket({ useUserStream: false });
        const price = insideSpread(sim, PAIR, 'sell');
        const id = market.sell(PAIR, '0.001', 'limit', price);
        await log.waitFor('Created', () => has(log, id, 'SellOrderCreated'));
        expect(market.inFlightOrders.get(id)?.state).toBe('OPEN');
        // Another session on the same account buys more at that price: self-trade
        // prevention (Coinbase's default, decrement and cancel) cancels our smaller
        // resting sell without a fill; the larger buy rests, decremented.
        await market.api.placeOrder({
          tradingPair: PAIR,
          side: 'buy',
          orderType: 'limit',
          amount: new BigNumber('0.002'),
          price,
          clientOrderId: COINBASE_PRO_CLIENT_ORDER_IDS.create('buy', PAIR),
        });
        const ours = sim.orderByClientOid(apiKey, id);
        expect(ours?.status).toBe('expired'); // the engine's word for an STP cancel
        expect(ours?.filledAmount.toFixed()).toBe('0');
        await log.waitForTerminal(id, 8_000);
        expect(typesOf(log, id)).toEqual(['SellOrderCreated', 'OrderCancelled']);
        expect(market.inFlightOrders.get(id)?.state ?? 'CANCELED').toBe('CANCELED');
        expect(market.activeOrders.map((o) => o.clientOrderId)).not.toContain(id);
        await expect(market.api.orderByClientOid(id)).rejects.toMatchObject({ httpStatus: 404 });
      });
    });
  },
);
