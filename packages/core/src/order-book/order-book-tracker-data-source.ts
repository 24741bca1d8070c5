import type { Observable } from 'rxjs';
import type { OrderBook } from './order-book.js';
import type {
  DiffMessage,
  OrderDiffMessage,
  OrderSnapshotMessage,
  SnapshotMessage,
  TradeMessage,
} from './order-book-message.js';

/**
 * Where an `OrderBookTracker` gets its data from: one per exchange.
 * Streams are cold: subscribing opens (or joins) the exchange socket and
 * subscribes to the pairs' channels; unsubscribing tears that down.
 */
export interface OrderBookTrackerDataSource {
  /** Every pair the exchange lists, as `BASE-QUOTE`. */
  fetchTradingPairs(): Promise<string[]>;
  /**
   * Resolves once the exchange has acknowledged the subscription of the pair's
   * diff stream; rejects with a typed error when it refused it or did not
   * answer. The tracker fetches no snapshot before that (a snapshot for a
   * stream that never comes would make a book that never moves). Optional: a
   * source without it counts as subscribed at once.
   */
  whenSubscribed?(tradingPair: string): Promise<void>;
  /** A full book for one pair, carrying the sequence number it is valid at. */
  getSnapshot(tradingPair: string): Promise<SnapshotMessage | OrderSnapshotMessage>;
  /**
   * Diffs for the given pairs, in the order the exchange sent them. The stream
   * errors when the connection is lost for good; reconnects within the stream
   * are signalled by a `resync` so the tracker re-snapshots (messages may be lost),
   * and the loss of the socket before that by a `disconnected` signal, so the book
   * turns `stale` at once instead of looking live until the reconnect. A refused
   * subscription errors the stream with a non-retryable `SubscriptionError`.
   */
  listenForDiffs(
    tradingPairs: readonly string[],
  ): Observable<DiffMessage | OrderDiffMessage | ResyncSignal | DisconnectedSignal>;
  /** Public trades for the given pairs. */
  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage>;
  /**
   * Snapshots the exchange pushes on its own (Coinbase `level2`, Huobi refresh);
   * absent when it sends none.
   */
  listenForSnapshots?(tradingPairs: readonly string[]): Observable<SnapshotMessage | OrderSnapshotMessage>;
  /**
   * Checks a pair whose diff stream has been silent for the tracker's
   * `silenceTimeoutMs` against the exchange: resolves true when the exchange
   * has moved on from the book (`updateId`, in the sequence rule's terms) and
   * the silence is therefore a dead stream, false when the market is just
   * quiet. When absent, the tracker fetches a snapshot and compares its update
   * id with the book's (right for sequenced books; unsequenced sources such as
   * Coinbase `level2_batch` implement this instead).
   */
  isBehindExchange?(tradingPair: string, book: OrderBook, updateId: number): Promise<boolean>;
}

/**
 * Emitted by a data source when its connection was re-established: anything may
 * have been missed, so the tracker re-synchronises the named pairs (all when absent).
 */
export interface ResyncSignal {
  readonly type: 'resync';
  readonly tradingPairs?: readonly string[];
  readonly reason: string;
}

/**
 * Emitted by a data source the moment its socket is lost (closed, or declared
 * dead for missing pongs or heartbeats), before any reconnect: the named pairs'
 * books are `stale` until the `resync` that follows the reconnect has re-synced
 * them. Nothing is fetched in between, since a snapshot with no stream behind it
 * would be a frozen book shown as live.
 */
export interface DisconnectedSignal {
  readonly type: 'disconnected';
  readonly tradingPairs?: readonly string[];
  readonly reason: string;
}
