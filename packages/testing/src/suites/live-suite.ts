// A connector against its real exchange (testnet, sandbox or production), written
// once. Opt-in: it runs only with HB_LIVE=1 and the keys in HB_<EXCHANGE>_* (see
// `liveCredentials`); otherwise it registers one skipped test that names what is
// missing. It checks the hosts, the book and the account, then places one
// post-only buy far below the market (it cannot fill) and cancels it. Nothing
// here logs, and the keys never appear in a title or message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Market, MarketEvent } from '@hb/core';
import { liveMakerRoundTrip } from '../util/live-checks.js';
import { liveCredentials } from '../util/test-helpers.js';

/** Generous: test exchanges are slow at times, and nothing here asserts on timing. */
const LIVE_TIMEOUT_MS = 90_000;
/** Event waits on a real exchange: generous, nothing asserts on timing. */
const EVENT_TIMEOUT_MS = 30_000;

/** A connector's side of {@link describeLiveSuite}. */
export interface LiveSuiteAdapter<F extends 'apiKey' | 'apiSecret' | 'passphrase', M extends Market> {
  /** The exchange as the env variables name it (`coinbase-pro` -> `HB_COINBASE_PRO_*`). */
  readonly exchange: string;
  /** What the suite runs against, in the titles ("Binance spot testnet"). */
  readonly venue: string;
  /** The credential fields the exchange needs. */
  readonly fields: readonly F[];
  /** The pair the suite trades. */
  readonly pair: string;
  /** The connector's market on the real exchange, with the keys from the environment. */
  createMarket(credentials: Readonly<Record<F, string>>, tradingPairs: string[]): M;
  /** Checks the market talks to the venue's hosts. */
  checkHosts(market: M): void;
  /** What the book is on this exchange, in the book test's title ("level-3 book"). */
  readonly book: string;
  /**
   * The round trip's buy price as a fraction of the best bid: far enough to
   * never fill, near enough for the exchange's price band.
   */
  readonly priceFactor: number;
}

/** Registers the live suite of one connector (one skipped test without the keys). */
export function describeLiveSuite<F extends 'apiKey' | 'apiSecret' | 'passphrase', M extends Market>(
  adapter: LiveSuiteAdapter<F, M>,
): void {
  const { credentials, missing } = liveCredentials(adapter.exchange, adapter.fields);
  const PAIR = adapter.pair;
  if (missing.length > 0) {
    it.skip(`live ${adapter.venue} suite skipped: set ${missing.join(', ')}`, () => undefined);
    return;
  }
  describe(`live ${adapter.venue}`, () => {
    let market: M;
    const events: MarketEvent[] = [];
    let placed: string | undefined;

    beforeAll(async () => {
      market = adapter.createMarket(credentials, [PAIR]);
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

    it(`talks to the ${adapter.venue} hosts`, () => adapter.checkHosts(market));

    it(`syncs the ${PAIR} ${adapter.book}: both sides, best bid below best ask, at an update id`, () => {
      const book = market.getOrderBook(PAIR);
      expect(market.status.orderBooksInitialized).toBe(true);
      expect(book.bidCount).toBeGreaterThan(0);
      expect(book.askCount).toBeGreaterThan(0);
      expect(book.bestBid).toBeGreaterThan(0);
      expect(book.bestBid).toBeLessThan(book.bestAsk);
      expect(book.lastUpdateId).toBeGreaterThan(0);
    });

    it('connects the user stream and loads balances and trading rules', () => {
      expect(market.status.userStreamInitialized).toBe(true);
      expect(market.status.accountBalanceInitialized).toBe(true);
      const rule = market.tradingRules.get(PAIR);
      expect(rule?.minPriceIncrement.gt(0)).toBe(true);
      expect(rule?.minBaseAmountIncrement.gt(0)).toBe(true);
    });

    it(
      'places a post-only buy far below the market (BuyOrderCreated), then cancels it by client order id (OrderCancelled)',
      () =>
        liveMakerRoundTrip(market, events, {
          tradingPair: PAIR,
          priceFactor: adapter.priceFactor,
          timeoutMs: EVENT_TIMEOUT_MS,
          onPlaced: (id) => (placed = id),
        }),
      LIVE_TIMEOUT_MS,
    );
  });
}
