// Seed requirement "market test" (the shared market suite): HuobiMarket against the
// Huobi simulator on 127.0.0.1. Huobi's numbers: `/v1/common/symbols` precisions
// and minimums, fees in the asset received (a buy pays in the base), a crossing
// limit-maker accepted and then cancelled without a fill (as the simulator models
// it; see the README), market buys sized in quote. Its own: the spot account found
// among several, a suspended symbol, and cancels by client order id. Rule
// refusals, unknown outcomes, clock skew, funds and wrong keys are the
// conformance suite's.
import { expect, it } from '@jest/globals';
import { has } from '@hb/testing';
import { describeMarketSuite } from '@hb/testing/suites';
import { HuobiMarket } from '../src/huobi-market.js';
import { marketOptions, simulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describeMarketSuite(
  {
    name: 'huobi',
    pair: PAIR,
    startSimulator: (seed) => simulator({ seed }),
    createMarket: (sim, overrides) => new HuobiMarket(marketOptions(sim, overrides)),
    rulesSource: '/v1/common/symbols (precisions, minimum amount and value)',
    rules: {
      'BTC-USDT': { minSize: '0.0001', step: '0.000001', tick: '0.01', minNotional: '5' },
      'ETH-BTC': { tick: '0.000001', step: '0.0001', minNotional: '0.0001' },
    },
    balances: { BTC: '10', ETH: '100', USDT: '1000000' },
    // A buy pays its fee in the base it receives, a sell in the quote (huobi.md §10).
    feeAsset: (side) => (side === 'buy' ? 'BTC' : 'USDT'),
    crossingPostOnly: { cancelledWithoutFill: true },
    marketBuySizedInQuote: true,
    quantize: [
      ['BTC-USDT', 'amount', '0.123456789', '0.123456'],
      ['BTC-USDT', 'amount', '0.0000009', '0'],
      ['BTC-USDT', 'price', '30000.123', '30000.12'],
      ['ETH-BTC', 'amount', '1.23456', '1.2345'],
      ['ETH-BTC', 'price', '0.0612341', '0.061234'],
    ],
  },
  (context) => {
    it('reads the rest of the reference data: maximum size, value precision, a suspended symbol; the spot account is found among several', async () => {
      const { sim, apiKey, startMarket } = context;
      const { market } = await startMarket();
      const rule = market.tradingRules.get(PAIR)!;
      expect(rule.maxOrderSize.toFixed()).toBe('1000');
      expect(rule.minQuoteAmountIncrement.toFixed()).toBe('0.00000001');
      // Every listed symbol has its rule, a suspended one marked so.
      expect(market.tradingRules.get('XRP-USDT')?.tradingEnabled).toBe(false);
      // The simulator lists an OTC account before the spot one.
      expect(await market.accountId()).toBe(String(sim.spotAccountId(apiKey)));
    });

    it('a resting order carries our client order id on the exchange and is cancelled by it (submitCancelClientOrder)', async () => {
      const { sim, apiKey, startMarket } = context;
      const { market, log } = await startMarket();
      const price = sim.engine(PAIR).bestBid()!.minus('0.01');
      const id = market.buy(PAIR, '0.01', 'limit', price);
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      const onExchange = sim.orderByClientOrderId(apiKey, id);
      expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(onExchange?.orderId);
      expect((await market.fetchOpenOrders(PAIR)).map((o) => o.clientOrderId)).toContain(id);
      await market.cancel(PAIR, id);
      await log.waitFor('OrderCancelled', () => has(log, id, 'OrderCancelled'));
      expect(sim.orderByClientOrderId(apiKey, id)?.status).toBe('cancelled');
      const cancels = sim.requestLog().filter((r) => r.path.includes('submit'));
      expect(cancels.map((r) => r.path)).toEqual(['/v1/order/orders/submitCancelClientOrder']);
    });
  },
);
