// The connector against the real Huobi (HTX) production API: there is no testnet.
// Opt-in: it runs only with HB_LIVE=1 and keys in HB_HUOBI_API_KEY /
// HB_HUOBI_API_SECRET; otherwise it registers one skipped test naming what is
// missing. It places one limit-maker buy far below the market (it cannot fill) and
// cancels it by client order id. Nothing here logs; the keys never appear in a
// title or message.
import BigNumber from 'bignumber.js';
import type { MarketEvent } from '@hb/core/connector';
import { liveCredentials, waitFor } from '@hb/testing';
import { HUOBI_URLS } from '../src/huobi-constants.js';
import { HuobiMarket } from '../src/huobi-market.js';

const PAIR = 'BTC-USDT';
const LIVE_TIMEOUT_MS = 90_000;
const EVENT_TIMEOUT_MS = 30_000;

const { credentials, missing } = liveCredentials('huobi', ['apiKey', 'apiSecret']);

if (missing.length > 0) {
  it.skip(`live Huobi suite skipped: set ${missing.join(', ')}`, () => undefined);
} else {
  describe('live Huobi (HTX) production', () => {
    let market: HuobiMarket;
    const events: MarketEvent[] = [];
    let placed: string | undefined;

    beforeAll(async () => {
      market = new HuobiMarket({
        tradingPairs: [PAIR],
        apiKey: credentials.apiKey,
        apiSecret: credentials.apiSecret,
      });
      market.events$.subscribe((e) => events.push(e));
      await market.start();
      await market.waitUntilReady(LIVE_TIMEOUT_MS);
    }, LIVE_TIMEOUT_MS + 10_000);

    afterAll(async () => {
      if (market === undefined) return;
      if (placed !== undefined && market.inFlightOrders.get(placed)?.isDone === false) {
        await market.cancel(PAIR, placed).catch(() => undefined);
      }
      await market.stop();
    }, LIVE_TIMEOUT_MS);

    it('talks to the production hosts', () => {
      expect(market.urls.rest).toBe(HUOBI_URLS.rest);
      expect(market.urls.feed).toBe(HUOBI_URLS.feed);
    });

    it('syncs the BTC-USDT MBP book: both sides, best bid below best ask, at a seqNum', () => {
      const book = market.getOrderBook(PAIR);
      expect(book.bidCount).toBeGreaterThan(0);
      expect(book.askCount).toBeGreaterThan(0);
      expect(book.bestBid).toBeLessThan(book.bestAsk);
      expect(book.lastUpdateId).toBeGreaterThan(0);
    });

    it(
      'places a limit-maker buy far below the market, then cancels it by client order id',
      async () => {
        const rule = market.tradingRules.get(PAIR);
        if (rule === undefined) throw new Error(`no trading rule for ${PAIR}`);
        const price = market.quantizeOrderPrice(
          PAIR,
          new BigNumber(market.getOrderBook(PAIR).bestBid).times(0.5),
        );
        const amount = market.quantizeOrderAmount(
          PAIR,
          BigNumber.max(rule.minOrderSize, rule.minNotional.div(price).times(1.1)),
        );
        placed = market.buy(PAIR, amount, 'limit_maker', price);
        const id = placed;
        await waitFor(
          'BuyOrderCreated',
          () => events.some((e) => e.clientOrderId === id && e.type === 'BuyOrderCreated'),
          EVENT_TIMEOUT_MS,
        );
        await market.cancel(PAIR, id);
        await waitFor(
          'OrderCancelled',
          () => events.some((e) => e.clientOrderId === id && e.type === 'OrderCancelled'),
          EVENT_TIMEOUT_MS,
        );
      },
      LIVE_TIMEOUT_MS,
    );
  });
}
