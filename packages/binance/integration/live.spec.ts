// The connector against Binance's real spot testnet (BINANCE_TESTNET_URLS). Opt-in:
// it runs only with HB_LIVE=1 and testnet API keys in HB_BINANCE_API_KEY /
// HB_BINANCE_API_SECRET; otherwise it registers one skipped test that names what is
// missing. It places one LIMIT_MAKER buy far below the market (it cannot fill) and
// cancels it. Nothing here logs, and the keys never appear in a title or message.

import type { MarketEvent } from '@hb/core/connector';
import { liveCredentials, liveMakerRoundTrip } from '@hb/testing';
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
      // 20 % under the best bid: it rests, never fills, and stays inside Binance's PERCENT_PRICE_BY_SIDE band.
      () =>
        liveMakerRoundTrip(market, events, {
          tradingPair: PAIR,
          priceFactor: 0.8,
          timeoutMs: EVENT_TIMEOUT_MS,
          onPlaced: (id) => (placed = id),
        }),
      LIVE_TIMEOUT_MS,
    );
  });
}
