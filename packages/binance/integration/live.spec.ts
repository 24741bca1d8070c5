// The connector against Binance's real spot testnet (BINANCE_TESTNET_URLS). Opt-in:
// it runs only with HB_LIVE=1 and testnet API keys in HB_BINANCE_API_KEY /
// HB_BINANCE_API_SECRET; otherwise it registers one skipped test that names what is
// missing. It places one LIMIT_MAKER buy far below the market (it cannot fill) and
// cancels it. Nothing here logs, and the keys never appear in a title or message.

import BigNumber from 'bignumber.js';
import type { MarketEvent } from '@hb/core/connector';
import { liveCredentials, waitFor } from '@hb/testing';
import { BinanceMarket } from '../src/binance-market.js';

const PAIR = 'BTC-USDT';
/** Generous: the testnet is slow at times, and nothing here asserts on timing. */
const LIVE_TIMEOUT_MS = 90_000;

const { credentials, missing } = liveCredentials('binance', ['apiKey', 'apiSecret']);
const { apiKey, apiSecret } = credentials;

/** Event waits on a real exchange: generous, nothing asserts on timing. */
const EVENT_TIMEOUT_MS = 30_000;

if (missing.length > 0) {
  it.skip(`live Binance testnet suite skipped: set ${missing.join(', ')}`, () => undefined);
} else {
  describe('live Binance spot testnet', () => {
    let market: BinanceMarket;
    const events: MarketEvent[] = [];
    let placed: string | undefined;

    beforeAll(async () => {
      market = new BinanceMarket({ tradingPairs: [PAIR], apiKey, apiSecret, testnet: true });
      market.events$.subscribe((e) => events.push(e));
      await market.start();
      await market.waitUntilReady(LIVE_TIMEOUT_MS);
    }, LIVE_TIMEOUT_MS + 10_000);

    afterAll(async () => {
      if (market === undefined) return;
      // Leave nothing resting on the account if a test failed half way.
      if (placed !== undefined && market.inFlightOrders.get(placed)?.isDone === false) {
        await market.cancel(PAIR, placed).catch(() => undefined);
      }
      await market.stop();
    }, LIVE_TIMEOUT_MS);

    it('talks to the testnet hosts', () => {
      expect(market.urls.rest).toBe('https://testnet.binance.vision');
      expect(market.urls.marketStream).toBe('wss://stream.testnet.binance.vision');
    });

    it('syncs the BTC-USDT book: both sides deep, best bid below best ask', () => {
      const book = market.getOrderBook(PAIR);
      expect(market.status.orderBooksInitialized).toBe(true);
      expect(book.bidCount).toBeGreaterThan(0);
      expect(book.askCount).toBeGreaterThan(0);
      expect(book.bestBid).toBeGreaterThan(0);
      expect(book.bestBid).toBeLessThan(book.bestAsk);
      expect(book.lastUpdateId).toBeGreaterThan(0);
    });

    it('connects the user stream and loads balances', () => {
      expect(market.status.userStreamInitialized).toBe(true);
      expect(market.status.accountBalanceInitialized).toBe(true);
    });

    it(
      'places a LIMIT_MAKER buy far below the market (BuyOrderCreated), then cancels it (OrderCancelled)',
      async () => {
        const rule = market.tradingRules.get(PAIR);
        if (rule === undefined) throw new Error(`no trading rule for ${PAIR}`);
        const bestBid = market.getOrderBook(PAIR).bestBid;
        // 20 % under the best bid: a maker order there rests and never fills, and stays
        // inside Binance's PERCENT_PRICE_BY_SIDE band for bids.
        const price = market.quantizeOrderPrice(PAIR, new BigNumber(bestBid).times(0.8));
        // Twice the minimum notional (and at least the minimum size), rounded up to a step.
        const step = rule.minBaseAmountIncrement;
        const wanted = BigNumber.max(rule.minOrderSize, rule.minNotional.times(2).div(price));
        const amount = wanted.div(step).integerValue(BigNumber.ROUND_CEIL).times(step);
        const quote = rule.tradingPair.split('-')[1] ?? 'USDT';
        expect(market.getAvailableBalance(quote).gte(amount.times(price))).toBe(true);

        const id = market.buy(PAIR, amount, 'limit_maker', price);
        placed = id;
        await waitFor(
          'BuyOrderCreated',
          () => events.some((e) => e.type === 'BuyOrderCreated' && e.clientOrderId === id),
          EVENT_TIMEOUT_MS,
        );
        expect(events.some((e) => e.type === 'OrderFailure' && e.clientOrderId === id)).toBe(false);
        expect(market.activeOrders.some((o) => o.clientOrderId === id)).toBe(true);

        await market.cancel(PAIR, id);
        await waitFor(
          'OrderCancelled',
          () => events.some((e) => e.type === 'OrderCancelled' && e.clientOrderId === id),
          EVENT_TIMEOUT_MS,
        );
        expect(events.filter((e) => e.type === 'OrderCancelled' && e.clientOrderId === id)).toHaveLength(1);
        expect(events.some((e) => e.type === 'OrderFilled' && e.clientOrderId === id)).toBe(false);
        expect(market.activeOrders.some((o) => o.clientOrderId === id)).toBe(false);
      },
      LIVE_TIMEOUT_MS,
    );
  });
}
