import { throwError, type Observable } from 'rxjs';
import {
  notImplemented,
  type DiffMessage,
  type OrderBookTrackerDataSource,
  type SnapshotMessage,
  type TradeMessage,
} from '@hb/core/connector';
import type { RadarRelayApiClient } from './radar-relay-api-client.js';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** The public data of RadarRelay: snapshots by REST, diffs and trades from the socket. */
export class RadarRelayOrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(readonly api: RadarRelayApiClient) {}

  async fetchTradingPairs(): Promise<string[]> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'the pair list (src/radar-relay-order-book-data-source.ts)');
  }

  async getSnapshot(_tradingPair: string): Promise<SnapshotMessage> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'book snapshots (src/radar-relay-order-book-data-source.ts)');
  }

  listenForDiffs(_tradingPairs: readonly string[]): Observable<DiffMessage> {
    return throwError(() =>
      notImplemented(RADAR_RELAY_EXCHANGE, 'the diff stream (src/radar-relay-order-book-data-source.ts)'),
    );
  }

  listenForTrades(_tradingPairs: readonly string[]): Observable<TradeMessage> {
    return throwError(() =>
      notImplemented(RADAR_RELAY_EXCHANGE, 'the trade stream (src/radar-relay-order-book-data-source.ts)'),
    );
  }
}
