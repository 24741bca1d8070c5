// Raw RadarRelay book frames -> core OrderBookMessages (snapshot / diff / trade).
import {
  notImplemented,
  type DiffMessage,
  type SnapshotMessage,
  type TradeMessage,
} from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** A REST depth snapshot -> SnapshotMessage. */
export function parseSnapshot(_raw: unknown, _tradingPair: string): SnapshotMessage {
  throw notImplemented(RADAR_RELAY_EXCHANGE, 'book snapshots (src/radar-relay-order-book.ts)');
}

/** A depth update frame -> DiffMessage. */
export function parseDiff(_raw: unknown): DiffMessage {
  throw notImplemented(RADAR_RELAY_EXCHANGE, 'book diffs (src/radar-relay-order-book.ts)');
}

/** A public trade frame -> TradeMessage (side from the exchange's own field). */
export function parseTrade(_raw: unknown): TradeMessage {
  throw notImplemented(RADAR_RELAY_EXCHANGE, 'public trades (src/radar-relay-order-book.ts)');
}
