import type {
  DiffMessage,
  DisconnectedSignal,
  OrderBookTrackerDataSource,
  ResyncSignal,
  SnapshotMessage,
  TradeMessage,
} from '@hb/core/connector';
import { merge, type Observable } from 'rxjs';
import type { HuobiApiClient } from './huobi-api-client.js';
import type { HuobiMarketStream } from './huobi-market-stream.js';

/**
 * Huobi's public book data, kept by the documented MBP recipe (huobi.md §5,
 * option B): increments of `market.$symbol.mbp.150` from `/feed` are cached by
 * core's tracker from the subscription on; the snapshot is the `req` refresh on
 * the same socket; core's previous-id rule drops cached increments the refresh
 * already covers, starts from the one whose `prevSeqNum` equals its `seqNum`, and
 * on any broken link asks for a new refresh.
 */
export class HuobiOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(
    private readonly api: HuobiApiClient,
    private readonly stream: HuobiMarketStream,
  ) {}

  async fetchTradingPairs(): Promise<string[]> {
    return (await this.api.referenceData()).rules.filter((r) => r.tradingEnabled).map((r) => r.tradingPair);
  }

  getSnapshot(tradingPair: string): Promise<SnapshotMessage> {
    return this.stream.snapshot(tradingPair);
  }

  listenForDiffs(
    tradingPairs: readonly string[],
  ): Observable<DiffMessage | ResyncSignal | DisconnectedSignal> {
    return merge(...tradingPairs.map((p) => this.stream.diffs$(p)));
  }

  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return merge(...tradingPairs.map((p) => this.stream.trades$(p)));
  }
}
