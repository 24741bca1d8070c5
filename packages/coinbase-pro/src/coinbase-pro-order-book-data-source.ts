import type {
  OrderBookTrackerDataSource,
  OrderDiffMessage,
  OrderSnapshotMessage,
  ResyncSignal,
  TradeMessage,
} from '@hb/core';
import { merge, type Observable } from 'rxjs';
import type { CoinbaseProApiClient } from './coinbase-pro-api-client.js';
import type { CoinbaseProFeed } from './coinbase-pro-feed.js';
import { parseLevel3Snapshot } from './coinbase-pro-order-book.js';
import { parseTradingRules } from './coinbase-pro-trading-rules.js';

/**
 * Coinbase's public book data at level 3: every resting order from
 * `GET /products/{id}/book?level=3` (with its `sequence`), then the `full`
 * channel's order messages from the shared feed socket. The tracker applies
 * them through core's `consecutiveSequenceRule` and an `ActiveOrderTracker`.
 */
export class CoinbaseProOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(
    private readonly api: CoinbaseProApiClient,
    private readonly feed: CoinbaseProFeed,
  ) {}

  async fetchTradingPairs(): Promise<string[]> {
    return parseTradingRules(await this.api.products()).rules.map((r) => r.tradingPair);
  }

  async getSnapshot(tradingPair: string): Promise<OrderSnapshotMessage> {
    // Messages from before the server subscribed us never arrive: wait for its
    // `subscriptions` reply, or the book could stay stale until the next message.
    await this.feed.whenSubscribed(tradingPair);
    return parseLevel3Snapshot(await this.api.level3Book(tradingPair), tradingPair, Date.now());
  }

  listenForDiffs(tradingPairs: readonly string[]): Observable<OrderDiffMessage | ResyncSignal> {
    return merge(...tradingPairs.map((p) => this.feed.diffs$(p)));
  }

  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return merge(...tradingPairs.map((p) => this.feed.trades$(p)));
  }
}
