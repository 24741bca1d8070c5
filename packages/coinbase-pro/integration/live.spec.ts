// The connector against the real Coinbase Exchange sandbox (COINBASE_PRO_SANDBOX_URLS).
// Opt-in: it runs only with HB_LIVE=1 and sandbox API keys in HB_COINBASE_PRO_API_KEY /
// HB_COINBASE_PRO_API_SECRET / HB_COINBASE_PRO_PASSPHRASE; otherwise it registers one
// skipped test that names what is missing. It places one post-only buy far below the
// market (it cannot fill) and cancels it. Nothing here logs, and the keys never
// appear in a title or message.

import type { MarketEvent } from '@hb/core/connector';
import { liveCredentials, liveMakerRoundTrip } from '@hb/testing';
import { COINBASE_PRO_SANDBOX_URLS } from '../src/coinbase-pro-constants.js';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';

const PAIR = 'BTC-USD';
/** Generous: the sandbox is slow at times, and nothing here asserts on timing. */
const LIVE_TIMEOUT_MS = 90_000;

const { credentials, missing } = liveCredentials('coinbase-pro', ['apiKey', 'apiSecret', 'passphrase']);
const { apiKey, apiSecret, passphrase } = credentials;

/** Event waits on a real exchange: generous, nothing asserts on timing. */
const EVENT_TIMEOUT_MS = 30_000;

if (missing.length > 0) {
  it.skip(`live Coinbase Exchange sandbox suite skipped: set ${missing.join(', ')}`, () => undefined);
} else {
  describe('live Coinbase Exchange sandbox', () => {
    let market: CoinbaseProMarket;
    const events: MarketEvent[] = [];
    let placed: string | undefined;

    beforeAll(async () => {
      market = new CoinbaseProMarket({ tradingPairs: [PAIR], apiKey, apiSecret, passphrase, sandbox: true });
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

    it('talks to the sandbox hosts', () => {
      expect(market.urls.rest).toBe(COINBASE_PRO_SANDBOX_URLS.rest);
      expect(market.urls.ws).toBe(COINBASE_PRO_SANDBOX_URLS.ws);
    });

    it('syncs the BTC-USD level-3 book: both sides, best bid below best ask, update id = feed sequence', () => {
      const book = market.getOrderBook(PAIR);
      expect(market.status.orderBooksInitialized).toBe(true);
      expect(book.bidCount).toBeGreaterThan(0);
      expect(book.askCount).toBeGreaterThan(0);
      expect(book.bestBid).toBeGreaterThan(0);
      expect(book.bestBid).toBeLessThan(book.bestAsk);
      expect(book.lastUpdateId).toBeGreaterThan(0);
    });

    it('connects the user channel and loads balances and trading rules', () => {
      expect(market.status.userStreamInitialized).toBe(true);
      expect(market.status.accountBalanceInitialized).toBe(true);
      const rule = market.tradingRules.get(PAIR);
      expect(rule?.minPriceIncrement.gt(0)).toBe(true);
      expect(rule?.minBaseAmountIncrement.gt(0)).toBe(true);
    });

    it(
      'places a post-only buy far below the market (BuyOrderCreated), then cancels it by client id (OrderCancelled)',
      // Half the best bid: a post-only order there rests and never fills.
      () =>
        liveMakerRoundTrip(market, events, {
          tradingPair: PAIR,
          priceFactor: 0.5,
          timeoutMs: EVENT_TIMEOUT_MS,
          onPlaced: (id) => (placed = id),
        }),
      LIVE_TIMEOUT_MS,
    );
  });
}
