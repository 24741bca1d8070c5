// The connector against a live Bittrex v3 server. Bittrex stopped trading on
// 2023-12-04, so "live" means any server speaking its protocol that you point us
// at: opt-in with HB_LIVE=1, keys in HB_BITTREX_API_KEY / HB_BITTREX_API_SECRET,
// and the host in HB_BITTREX_REST_URL (and HB_BITTREX_WS_URL when SignalR lives
// elsewhere); otherwise one skipped test names what is missing. It reads the
// book and balances, places one post-only buy far below the market and cancels
// it. Keys never appear in a title or message.
import BigNumber from 'bignumber.js';
import type { MarketEvent } from '@hb/core/connector';
import { liveCredentials, waitFor } from '@hb/testing';
import { BittrexMarket } from '../src/bittrex-market.js';

const PAIR = process.env['HB_BITTREX_PAIR'] ?? 'BTC-USDT';
const LIVE_TIMEOUT_MS = 90_000;
const restUrl = process.env['HB_BITTREX_REST_URL'] ?? '';
const wsUrl = process.env['HB_BITTREX_WS_URL'];

const found = liveCredentials('bittrex', ['apiKey', 'apiSecret']);
const missing = [
  ...found.missing,
  ...(restUrl === '' ? ['HB_BITTREX_REST_URL (the exchange has closed)'] : []),
];
const { apiKey, apiSecret } = found.credentials;

if (missing.length > 0) {
  it.skip(`live Bittrex suite skipped: set ${missing.join(', ')}`, () => undefined);
} else {
  describe('live Bittrex v3 server', () => {
    let market: BittrexMarket;
    const events: MarketEvent[] = [];

    beforeAll(async () => {
      market = new BittrexMarket({ tradingPairs: [PAIR], apiKey, apiSecret, restUrl, wsUrl });
      market.events$.subscribe((e) => events.push(e));
      await market.start();
      await market.waitUntilReady(LIVE_TIMEOUT_MS);
    }, LIVE_TIMEOUT_MS + 10_000);

    afterAll(async () => {
      await market?.stop();
    }, LIVE_TIMEOUT_MS);

    it('keeps a two-sided book and reads balances', () => {
      const book = market.getOrderBook(PAIR);
      expect(book.bestBid).toBeLessThan(book.bestAsk);
      expect(market.getAllBalances().size).toBeGreaterThan(0);
    });

    it(
      'places a post-only buy far below the market with our client order id, then cancels it',
      async () => {
        const book = market.getOrderBook(PAIR);
        const price = market.quantizeOrderPrice(PAIR, new BigNumber(book.bestBid).times(0.5));
        const rule = market.tradingRules.get(PAIR)!;
        const id = market.buy(PAIR, rule.minOrderSize.times(2), 'limit_maker', price);
        await waitFor(
          'created',
          () => events.some((e) => e.type === 'BuyOrderCreated' && e.clientOrderId === id),
          30_000,
        );
        await market.cancel(PAIR, id);
        await waitFor(
          'cancelled',
          () => events.some((e) => e.type === 'OrderCancelled' && e.clientOrderId === id),
          30_000,
        );
      },
      LIVE_TIMEOUT_MS,
    );
  });
}
