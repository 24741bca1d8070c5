import type { Observable } from 'rxjs';
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
  /** A full book for one pair, carrying the sequence number it is valid at. */
  getSnapshot(tradingPair: string): Promise<SnapshotMessage | OrderSnapshotMessage>;
  /**
   * Diffs for the given pairs, in the order the exchange sent them. The stream
   * errors when the connection is lost for good; reconnects within the stream
   * are signalled by a `resync` so the tracker re-snapshots (messages may be lost).
   */
  listenForDiffs(tradingPairs: readonly string[]): Observable<DiffMessage | OrderDiffMessage | ResyncSignal>;
  /** Public trades for the given pairs. */
  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage>;
  /**
   * Snapshots the exchange pushes on its own (Coinbase `level2`, Huobi refresh);
   * absent when it sends none.
   */
  listenForSnapshots?(tradingPairs: readonly string[]): Observable<SnapshotMessage | OrderSnapshotMessage>;
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
