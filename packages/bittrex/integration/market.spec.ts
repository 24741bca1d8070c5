// Seed requirement "market test" (the shared market suite): BittrexMarket against
// the Bittrex simulator on 127.0.0.1. Bittrex's numbers: /v3/markets rules
// (tick 10^-precision, minTradeSize, quantities to 8 decimals), commission in the
// quote currency reported to 8 decimals, UUIDs as our clientOrderId and as
// execution ids, a crossing post-only order refused 409 POST_ONLY and never
// created. Its own: an OFFLINE market, IOC and FOK limits, and a lost execution
// message recovered by REST. Cancels, rule checks, unknown outcomes, 429, clock
// skew, funds and keys are the conformance suite's.
import { describe, expect, it } from '@jest/globals';
import { isUuidV4 } from '@hb/core/connector';
import { has, insideSpread, typesOf, validateOrderEvents, waitForLaterRequests } from '@hb/testing';
import { describeMarketSuite } from '@hb/testing/suites';
import { BittrexMarket, type BittrexMarketOptions } from '../src/bittrex-market.js';
import { bittrexTestMarketOptions, startTestSimulator, type BittrexSimulator } from '../src/testing/index.js';

const PAIR = 'BTC-USDT';

describeMarketSuite<BittrexSimulator, BittrexMarket, Partial<BittrexMarketOptions>>(
  {
    name: 'bittrex',
    pair: PAIR,
    startSimulator: (seed) => startTestSimulator({ seed }),
    createMarket: (sim, overrides) => new BittrexMarket(bittrexTestMarketOptions(sim, overrides)),
    rulesSource: '/v3/markets (tick 10^-precision, minTradeSize, 8-decimal quantities)',
    rules: {
      'BTC-USDT': { tick: '0.001', minSize: '0.0001', step: '0.00000001' },
      'ETH-BTC': { tick: '0.000001', minSize: '0.001' },
    },
    balances: { BTC: '1', ETH: '10', USDT: '100000' },
    // Bittrex charges commission in the quote currency, buy or sell.
    feeAsset: () => 'USDT',
    feeDecimals: 8,
    // A buy holds its commission (0.35 %) with the notional.
    buyFeeHeld: '0.0035',
    crossingPostOnly: { message: /POST_ONLY/, exchangeCode: 'POST_ONLY', httpStatus: 409 },
    quantize: [
      ['BTC-USDT', 'amount', '0.123456789', '0.12345678'],
      ['BTC-USDT', 'price', '30000.12345', '30000.123'],
      ['ETH-BTC', 'price', '0.05512345', '0.055123'],
    ],
    // Our ids are Bittrex's idempotency keys: UUIDs.
    checkResting: (_sim, _apiKey, ids) => expect(ids.every(isUuidV4)).toBe(true),
    // Our fill is the execution Bittrex sends: a UUID of its own, per side of the trade.
    fillTradeId: (sim, fill) =>
      String(sim.exchange.executionObject(fill.trade, fill.orderId, !fill.isMaker, fill.fee.amount)['id']),
  },
  (context) => {
    it('an OFFLINE market is listed with trading disabled', async () => {
      const { sim, startMarket } = context;
      sim.setMarketStatus('ETH-BTC', 'OFFLINE');
      const { market } = await startMarket({ tradingPairs: ['BTC-USDT', 'ETH-BTC'] });
      expect(market.tradingRules.get('ETH-BTC')?.tradingEnabled).toBe(false);
      expect(market.tradingRules.get('BTC-USDT')?.tradingEnabled).toBe(true);
    });

    it('IOC and FOK limit orders: an IOC remainder ends cancelled; an unfillable FOK is refused with FILL_OR_KILL', async () => {
      const { sim, startMarket } = context;
      const ioc = await startMarket({ limitTimeInForce: 'IMMEDIATE_OR_CANCEL' });
      const id = ioc.market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await ioc.log.waitForTerminal(id);
      expect(typesOf(ioc.log, id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
      const fok = await startMarket({ limitTimeInForce: 'FILL_OR_KILL' });
      // More than the whole ask side at the best ask: it cannot fill at once.
      const f = fok.market.buy(PAIR, '2', 'limit', sim.engine(PAIR).bestAsk()!);
      await fok.log.waitForTerminal(f);
      // Refused, never created: no Created, no Cancelled, only the failure.
      expect(typesOf(fok.log, f)).toEqual(['OrderFailure']);
      const { error } = fok.log.failureOf(f);
      expect(error.exchangeCode).toBe('FILL_OR_KILL');
      expect(error.reason).toBe('invalid_order');
    });

    describe('faults', () => {
      it('a lost execution message (private sequence gap): the fill is recovered by REST, exactly once', async () => {
        const { sim, apiKey, startMarket } = context;
        const { market, log } = await startMarket();
        const price = insideSpread(sim, PAIR, 'buy');
        const id = market.buy(PAIR, '0.002', 'limit', price);
        await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
        sim.faults.skipSequence({ stream: 'execution' });
        sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
        await log.waitFor('the first fill', () => log.fillsOf(id).length === 1, 8_000);
        sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.001');
        await log.waitForTerminal(id, 8_000);
        // A doubled fill would come from a later pass of the market's reconciliation.
        await waitForLaterRequests(sim, 'the market polling on after the fill');
        expect(log.fillsOf(id).map((f) => f.amount.toFixed())).toEqual(['0.001', '0.001']);
        validateOrderEvents(id, log.events);
      });
    });
  },
);
