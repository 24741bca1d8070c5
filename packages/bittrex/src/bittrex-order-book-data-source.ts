import type {
  SymbolMap,
  DiffMessage,
  DisconnectedSignal,
  OrderBookTrackerDataSource,
  ResyncSignal,
  SnapshotMessage,
  TradeMessage,
} from '@hb/core/connector';
import { defer, from, merge, switchMap, type Observable } from 'rxjs';
import type { BittrexApiClient } from './bittrex-api-client.js';
import type { BittrexBookDepth } from './bittrex-constants.js';
import type { BittrexMarketStream } from './bittrex-market-stream.js';
import { parseOrderBookSnapshot } from './bittrex-order-book.js';

/** How a {@link BittrexOrderBookDataSource} is built. */
export interface BittrexOrderBookDataSourceOptions {
  readonly api: BittrexApiClient;
  /** The listed markets and the shared public socket, once `/markets` is known. */
  readonly context: () => Promise<{ readonly symbols: SymbolMap; readonly stream: BittrexMarketStream }>;
  /** The depth of both the channel and the snapshot: their sequences only match at the same depth. */
  readonly depth: BittrexBookDepth;
}

/**
 * Bittrex's public book data (bittrex.md §5 "Local order book sync"): deltas
 * from `orderbook_{m}_{depth}`, queued by core's tracker; the snapshot from
 * `GET /markets/{m}/orderbook?depth=` at the sequence in its `Sequence` header,
 * fetched once the channel is confirmed. The tracker drops queued deltas at or
 * below that sequence, applies the rest one by one, and re-fetches on a gap.
 */
export class BittrexOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(private readonly options: BittrexOrderBookDataSourceOptions) {}

  async fetchTradingPairs(): Promise<string[]> {
    return (await this.options.context()).symbols.pairs();
  }

  async getSnapshot(tradingPair: string): Promise<SnapshotMessage> {
    const { symbols, stream } = await this.options.context();
    const symbol = symbols.toSymbol(tradingPair);
    // A snapshot taken before the subscription could predate the first delta: a wasted fetch.
    await stream.whenBookSubscribed(tradingPair);
    const { body, sequence } = await this.options.api.orderBook(symbol, this.options.depth);
    return parseOrderBookSnapshot(body, sequence, tradingPair, Date.now());
  }

  listenForDiffs(
    tradingPairs: readonly string[],
  ): Observable<DiffMessage | ResyncSignal | DisconnectedSignal> {
    return this.withStream((stream) => merge(...tradingPairs.map((p) => stream.depth$(p))));
  }

  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return this.withStream((stream) => merge(...tradingPairs.map((p) => stream.trades$(p))));
  }

  private withStream<T>(f: (stream: BittrexMarketStream) => Observable<T>): Observable<T> {
    return defer(() => from(this.options.context())).pipe(switchMap(({ stream }) => f(stream)));
  }
}
