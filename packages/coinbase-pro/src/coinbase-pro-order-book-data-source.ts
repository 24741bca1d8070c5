import type {
  DiffMessage,
  DisconnectedSignal,
  OrderBook,
  OrderBookTrackerDataSource,
  OrderDiffMessage,
  OrderSnapshotMessage,
  ResyncSignal,
  SnapshotMessage,
  TradeMessage,
} from '@hb/core/connector';
import { merge, type Observable } from 'rxjs';
import type { CoinbaseProApiClient } from './coinbase-pro-api-client.js';
import type { CoinbaseProFeed } from './coinbase-pro-feed.js';
import { parseLevel2BookSnapshot, parseLevel3Snapshot } from './coinbase-pro-order-book.js';
import { parseTradingRules } from './coinbase-pro-trading-rules.js';

/** How many levels per side the level-2 silence check compares with the REST book. */
const PROBE_DEPTH = 10;

/**
 * Coinbase's book data, on the channel the exchange serves to this client:
 *
 * - with keys, level 3: every resting order from `GET /products/{id}/book?level=3`
 *   (with its `sequence`), then the authenticated `full` channel's order
 *   messages; the tracker applies them through core's `consecutiveSequenceRule`
 *   and an `ActiveOrderTracker`;
 * - without keys, level 2: the public `level2_batch` channel's own `snapshot`
 *   and `l2update`s, numbered locally (the channel has no sequence) so the
 *   same rule drops what the snapshot already holds.
 *
 * Public trades come from the `matches` channel either way.
 */
export class CoinbaseProOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(
    private readonly api: CoinbaseProApiClient,
    private readonly feed: CoinbaseProFeed,
  ) {}

  /** True when books are level 3 (`full`), false for level 2 (`level2_batch`). */
  get orderBased(): boolean {
    return this.feed.bookChannel === 'full';
  }

  async fetchTradingPairs(): Promise<string[]> {
    return parseTradingRules(await this.api.products()).rules.map((r) => r.tradingPair);
  }

  async getSnapshot(tradingPair: string): Promise<OrderSnapshotMessage | SnapshotMessage> {
    // Messages from before the server subscribed us never arrive: wait for its
    // `subscriptions` reply, or the book could stay stale until the next message.
    await this.feed.whenSubscribed(tradingPair);
    if (!this.orderBased) return this.feed.level2Snapshot(tradingPair);
    return parseLevel3Snapshot(await this.api.level3Book(tradingPair), tradingPair, Date.now());
  }

  listenForDiffs(
    tradingPairs: readonly string[],
  ): Observable<OrderDiffMessage | DiffMessage | ResyncSignal | DisconnectedSignal> {
    return merge(...tradingPairs.map((p) => this.feed.diffs$(p)));
  }

  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return merge(...tradingPairs.map((p) => this.feed.trades$(p)));
  }

  /**
   * The book's stream has been silent: did the exchange move on? Level 3: the
   * REST book's sequence is ahead of ours. Level 2 (no sequence): the REST
   * level-2 book's top levels differ from ours twice in a row, a second apart
   * (one difference may be a batch still on its way).
   */
  async isBehindExchange(tradingPair: string, book: OrderBook, updateId: number): Promise<boolean> {
    if (this.orderBased) {
      const snapshot = parseLevel3Snapshot(await this.api.level3Book(tradingPair), tradingPair, Date.now());
      return snapshot.updateId > updateId;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1_000));
      const rest = parseLevel2BookSnapshot(await this.api.level2Book(tradingPair), tradingPair, Date.now());
      if (sameTop(rest, book)) return false;
    }
    return true;
  }
}

function sameTop(rest: SnapshotMessage, book: OrderBook): boolean {
  const bids = [...book.bidEntries(PROBE_DEPTH)];
  const asks = [...book.askEntries(PROBE_DEPTH)];
  const rb = rest.bids.slice(0, PROBE_DEPTH);
  const ra = rest.asks.slice(0, PROBE_DEPTH);
  const eq = (
    a: readonly (readonly [number, number])[],
    b: readonly (readonly [number, number])[],
  ): boolean => a.length === b.length && a.every((l, i) => l[0] === b[i]![0] && l[1] === b[i]![1]);
  return eq(bids, rb) && eq(asks, ra);
}
