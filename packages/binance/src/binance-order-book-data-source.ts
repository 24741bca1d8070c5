import type {
  DiffMessage,
  DisconnectedSignal,
  OrderBookTrackerDataSource,
  ResyncSignal,
  SnapshotMessage,
  TradeMessage,
} from '@hb/core/connector';
import { defer, from, merge, switchMap, type Observable } from 'rxjs';
import type { BinanceApiClient } from './binance-api-client.js';
import type { BinanceMarketStream } from './binance-market-stream.js';
import { parseDepthSnapshot } from './binance-order-book.js';
import type { SymbolMap } from './binance-utils.js';

/** How a {@link BinanceOrderBookDataSource} is built. */
export interface BinanceOrderBookDataSourceOptions {
  readonly api: BinanceApiClient;
  /** The symbol map and the shared market socket, once exchangeInfo is known. */
  readonly context: () => Promise<{ readonly symbols: SymbolMap; readonly stream: BinanceMarketStream }>;
  /**
   * `limit` of the depth snapshot. Default {@link BINANCE_DEFAULT_SNAPSHOT_DEPTH}
   * (100, weight 5): the cheapest tier; see the README on choosing more.
   */
  readonly snapshotDepth?: number;
}

/** Default `limit` of depth snapshots: the cheapest weight tier (5). */
export const BINANCE_DEFAULT_SNAPSHOT_DEPTH = 100;

/**
 * Binance's public book data: snapshots from `GET /api/v3/depth`, diffs and
 * trades from the shared combined-stream socket. The tracker applies Binance's
 * procedure (binance.md §5) through core's `rangeSequenceRule`.
 */
export class BinanceOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(private readonly options: BinanceOrderBookDataSourceOptions) {}

  async fetchTradingPairs(): Promise<string[]> {
    return (await this.options.context()).symbols.pairs();
  }

  /** Resolves once Binance confirmed the pair's depth stream; rejects when it refused it or did not answer. */
  async whenSubscribed(tradingPair: string): Promise<void> {
    const { stream } = await this.options.context();
    await stream.whenDepthSubscribed(tradingPair);
  }

  async getSnapshot(tradingPair: string): Promise<SnapshotMessage> {
    const { symbols, stream } = await this.options.context();
    // A snapshot from before the subscription could predate the first diff: a wasted fetch.
    await stream.whenDepthSubscribed(tradingPair);
    const raw = await this.options.api.depth(
      symbols.toSymbol(tradingPair),
      this.options.snapshotDepth ?? BINANCE_DEFAULT_SNAPSHOT_DEPTH,
    );
    return parseDepthSnapshot(raw, tradingPair, Date.now());
  }

  listenForDiffs(
    tradingPairs: readonly string[],
  ): Observable<DiffMessage | ResyncSignal | DisconnectedSignal> {
    return this.withStream((stream) => merge(...tradingPairs.map((p) => stream.depth$(p))));
  }

  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return this.withStream((stream) => merge(...tradingPairs.map((p) => stream.trades$(p))));
  }

  private withStream<T>(f: (stream: BinanceMarketStream) => Observable<T>): Observable<T> {
    return defer(() => from(this.options.context())).pipe(switchMap(({ stream }) => f(stream)));
  }
}
