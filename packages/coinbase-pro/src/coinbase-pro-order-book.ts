// Coinbase market data -> core book messages (coinbase-pro.md §4, §5): the
// level-3 REST snapshot and the `full` channel (order-based book, sequenced),
// the aggregated level-2 snapshot/l2update (optional L2 mode, unsequenced),
// public trades, heartbeats, and one dispatcher over every feed frame. Pure:
// no state; the tracker and ActiveOrderTracker apply what these return.
import type {
  BookLevel,
  BookOrder,
  DiffMessage,
  HbError,
  OrderChange,
  OrderDiffMessage,
  OrderSide,
  OrderSnapshotMessage,
  SnapshotMessage,
  TradeMessage,
} from '@hb/core/connector';
import { isPositiveDecimal, isUnsignedDecimal, type WireObject } from '@hb/core/connector';
import { classifyCoinbaseProWsError } from './coinbase-pro-errors.js';
import {
  asArray,
  asObject,
  malformed,
  readDecimal,
  readPositiveDecimal,
  readSequence,
  readNumber,
  readOptionalDecimal,
  readOptionalString,
  readSide,
  readString,
  readTime,
  toTradingPair,
  readBookSnapshot,
} from './coinbase-pro-utils.js';

// ------------------------------------------------------------ REST books ----

/** A decimal at `entry[i]`: a price (`positive`, > 0) or a size (>= 0), bounded. */
function decimalAt(entry: readonly unknown[], i: number, what: string, positive: boolean): number {
  const v = entry[i];
  if (typeof v !== 'string' || !(positive ? isPositiveDecimal(v) : isUnsignedDecimal(v)))
    throw malformed(`${what} (expected a ${positive ? 'positive ' : ''}decimal string in range at ${i})`);
  return Number(v);
}

function parseOrderLevels(raw: unknown, what: string): BookOrder[] {
  return asArray(raw, what).map((item) => {
    const e = asArray(item, what);
    const orderId = e[2];
    if (e.length !== 3 || typeof orderId !== 'string' || orderId === '') {
      throw malformed(`${what} entry (expected [price, size, order_id])`);
    }
    return { orderId, price: decimalAt(e, 0, what, true), amount: decimalAt(e, 1, what, false) };
  });
}

function parseAggregatedLevels(raw: unknown, what: string, width: 2 | 3): BookLevel[] {
  return asArray(raw, what).map((item) => {
    const e = asArray(item, what);
    if (e.length !== width || (width === 3 && typeof e[2] !== 'number')) {
      throw malformed(
        `${what} entry (expected ${width === 3 ? '[price, size, num_orders]' : '[price, size]'})`,
      );
    }
    return [decimalAt(e, 0, what, true), decimalAt(e, 1, what, false)] as const;
  });
}

/**
 * `GET /products/{id}/book?level=3` -> order snapshot at `sequence` (the `full`
 * channel's numbering). The body has no time, so the caller passes the local
 * receive time.
 */
export function parseLevel3Snapshot(
  raw: unknown,
  tradingPair: string,
  receivedAt: number,
): OrderSnapshotMessage {
  const book = readBookSnapshot(raw, 'level 3 book', 'sequence', parseOrderLevels);
  return { type: 'order_snapshot', tradingPair, timestamp: receivedAt, ...book };
}

/** `GET /products/{id}/book?level=2` (or 1) -> L2 snapshot at `sequence`. */
export function parseLevel2BookSnapshot(
  raw: unknown,
  tradingPair: string,
  receivedAt: number,
): SnapshotMessage {
  const levels = (r: unknown, what: string): BookLevel[] => parseAggregatedLevels(r, what, 3);
  const book = readBookSnapshot(raw, 'level 2 book', 'sequence', levels);
  return { type: 'snapshot', tradingPair, timestamp: receivedAt, ...book };
}

/** The taker's side of a trade whose `side` field is the maker's. */
function takerSide(makerSide: OrderSide): OrderSide {
  return makerSide === 'buy' ? 'sell' : 'buy';
}

// ----------------------------------------------------------- full channel ----

/** What one `full`-channel frame means to the book: always a diff, plus a trade for `match`. */
export interface FullChannelUpdate {
  /** Advances the sequence even with no change (`received`, `activate`). */
  readonly diff: OrderDiffMessage;
  /** Present for `match` only: the public trade, taker side. */
  readonly trade?: TradeMessage;
}

const NO_CHANGES: readonly OrderChange[] = Object.freeze([]);

/** A `match` or `last_match` -> trade with the taker's side (the frame's `side` is the maker's). */
export function parseMatchTrade(raw: unknown): TradeMessage {
  const o = asObject(raw, 'match');
  if (o['type'] !== 'match' && o['type'] !== 'last_match') throw malformed('match (wrong type)');
  return {
    type: 'trade',
    tradingPair: toTradingPair(readString(o, 'product_id', 'match')),
    tradeId: String(readSequence(o, 'trade_id', 'match')),
    price: Number(readPositiveDecimal(o, 'price', 'match')),
    amount: Number(readDecimal(o, 'size', 'match')),
    side: takerSide(readSide(o, 'side', 'match')),
    timestamp: readTime(o, 'time', 'match'),
    updateId: readSequence(o, 'sequence', 'match'),
  };
}

/** The book changes of one full-channel message, per the documented per-type rules. */
function fullChanges(o: WireObject, type: string): readonly OrderChange[] {
  switch (type) {
    case 'received':
    case 'activate':
      // Accepted by the engine / stop armed: nothing rests yet.
      return NO_CHANGES;
    case 'open':
      return [
        {
          op: 'open',
          orderId: readString(o, 'order_id', type),
          side: readSide(o, 'side', type),
          price: Number(readPositiveDecimal(o, 'price', type)),
          amount: Number(readDecimal(o, 'remaining_size', type)),
        },
      ];
    case 'match':
      // Only the resting (maker) order is on the book; the taker never rested.
      return [
        {
          op: 'fill',
          orderId: readString(o, 'maker_order_id', type),
          amount: Number(readDecimal(o, 'size', type)),
        },
      ];
    case 'done': {
      const orderId = readString(o, 'order_id', type);
      const reason = readString(o, 'reason', type);
      if (reason !== 'filled' && reason !== 'canceled')
        throw malformed(`done.reason ${JSON.stringify(reason)}`);
      // No price: a market order, which never rested. Orders that never opened
      // are unknown to the tracker, which ignores their removal.
      return readOptionalDecimal(o, 'price', type) === undefined ? NO_CHANGES : [{ op: 'remove', orderId }];
    }
    case 'change': {
      const orderId = readString(o, 'order_id', type);
      const newSize = readOptionalDecimal(o, 'new_size', type);
      // price null: a market order's funds changed; no new_size: nothing on the book to resize.
      if (readOptionalDecimal(o, 'price', type) === undefined || newSize === undefined) return NO_CHANGES;
      const newPrice = readOptionalDecimal(o, 'new_price', type);
      return [
        newPrice === undefined
          ? { op: 'change', orderId, amount: Number(newSize) }
          : { op: 'change', orderId, amount: Number(newSize), price: positive(newPrice, type) },
      ];
    }
    default:
      throw malformed(`full channel message (unknown type ${JSON.stringify(type)})`);
  }
}

/** A price read as an optional decimal that must nevertheless be above zero. */
function positive(v: string, what: string): number {
  if (!isPositiveDecimal(v)) throw malformed(`${what}.new_price (not a positive decimal string)`);
  return Number(v);
}

/** Types of the sequenced `full`-channel messages. */
export const FULL_CHANNEL_TYPES: ReadonlySet<string> = new Set([
  'received',
  'open',
  'done',
  'match',
  'change',
  'activate',
]);

/**
 * One `full`-channel frame -> an order diff at `updateId = sequence`, plus the
 * public trade for a `match`:
 * - `received`, `activate`: no change (the sequence still advances);
 * - `open`: add `order_id` at `price` with `remaining_size`;
 * - `match`: fill the MAKER order by `size`; the trade's side is the taker's;
 * - `done`: remove the order (nothing for a market order, which has no price);
 * - `change`: set `new_size` (and `new_price` on a modify); nothing for market orders.
 */
export function parseFullChannelMessage(raw: unknown): FullChannelUpdate {
  const o = asObject(raw, 'full channel message');
  const type = readString(o, 'type', 'full channel message');
  if (!FULL_CHANNEL_TYPES.has(type))
    throw malformed(`full channel message (unknown type ${JSON.stringify(type)})`);
  const diff: OrderDiffMessage = {
    type: 'order_diff',
    tradingPair: toTradingPair(readString(o, 'product_id', type)),
    updateId: readSequence(o, 'sequence', type),
    timestamp: readTime(o, 'time', type),
    changes: fullChanges(o, type),
  };
  return type === 'match' ? { diff, trade: parseMatchTrade(o) } : { diff };
}

// ---------------------------------------------------------------- level 2 ----

/**
 * A `level2`/`level2_batch` `snapshot` -> L2 snapshot. level2 carries no
 * sequence, so the caller numbers messages (core's `none` sequence rule) and
 * passes the id, and the local receive time (the frame has none).
 */
export function parseLevel2Snapshot(raw: unknown, updateId: number, receivedAt: number): SnapshotMessage {
  const o = asObject(raw, 'level2 snapshot');
  if (o['type'] !== 'snapshot') throw malformed('level2 snapshot (wrong type)');
  return {
    type: 'snapshot',
    tradingPair: toTradingPair(readString(o, 'product_id', 'level2 snapshot')),
    updateId,
    timestamp: receivedAt,
    bids: parseAggregatedLevels(o['bids'], 'level2 snapshot bids', 2),
    asks: parseAggregatedLevels(o['asks'], 'level2 snapshot asks', 2),
  };
}

/** An `l2update` -> diff of absolute sizes (`"0"` removes); `updateId` as for the snapshot. */
export function parseLevel2Update(raw: unknown, updateId: number): DiffMessage {
  const o = asObject(raw, 'l2update');
  if (o['type'] !== 'l2update') throw malformed('l2update (wrong type)');
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (const item of asArray(o['changes'], 'l2update.changes')) {
    const c = asArray(item, 'l2update change');
    const side = c[0];
    if (c.length !== 3 || (side !== 'buy' && side !== 'sell'))
      throw malformed('l2update change (expected [side, price, size])');
    const level = [
      decimalAt(c, 1, 'l2update change', true),
      decimalAt(c, 2, 'l2update change', false),
    ] as const;
    (side === 'buy' ? bids : asks).push(level);
  }
  return {
    type: 'diff',
    tradingPair: toTradingPair(readString(o, 'product_id', 'l2update')),
    updateId,
    timestamp: readTime(o, 'time', 'l2update'),
    bids,
    asks,
  };
}

// ---------------------------------------------------------------- control ----

/** A `heartbeat`: the product's current sequence and last trade id (to detect dropped matches). */
export interface CoinbaseProHeartbeatInfo {
  readonly tradingPair: string;
  readonly sequence: number;
  readonly lastTradeId: number;
  readonly timestamp: number;
}

/** A `heartbeat` frame -> its fields. */
export function parseHeartbeat(raw: unknown): CoinbaseProHeartbeatInfo {
  const o = asObject(raw, 'heartbeat');
  if (o['type'] !== 'heartbeat') throw malformed('heartbeat (wrong type)');
  return {
    tradingPair: toTradingPair(readString(o, 'product_id', 'heartbeat')),
    sequence: readNumber(o, 'sequence', 'heartbeat'),
    lastTradeId: readNumber(o, 'last_trade_id', 'heartbeat'),
    timestamp: readTime(o, 'time', 'heartbeat'),
  };
}

/** One channel of a `subscriptions` reply. */
export interface CoinbaseProSubscription {
  readonly name: string;
  readonly productIds: readonly string[];
}

/** A `subscriptions` frame -> every channel now subscribed, with its products. */
export function parseSubscriptions(raw: unknown): CoinbaseProSubscription[] {
  const o = asObject(raw, 'subscriptions');
  if (o['type'] !== 'subscriptions') throw malformed('subscriptions (wrong type)');
  return asArray(o['channels'], 'subscriptions.channels').map((item) => {
    const c = asObject(item, 'subscriptions channel');
    const ids = c['product_ids'];
    return {
      name: readString(c, 'name', 'subscriptions channel'),
      productIds:
        ids === undefined
          ? []
          : asArray(ids, 'subscriptions channel.product_ids').map((id) => {
              if (typeof id !== 'string') throw malformed('subscriptions channel.product_ids (not strings)');
              return id;
            }),
    };
  });
}

// ------------------------------------------------------------- dispatcher ----

/** What the data source knows when a frame arrives. */
export interface FeedContext {
  /** Local receive time, ms (level2 snapshots carry no time). */
  readonly receivedAt: number;
  /**
   * The id a level2 message would get (the caller's counter + 1): level2 is
   * unsequenced, so the caller numbers it and advances the counter only when
   * the result is a level2 kind.
   */
  readonly level2UpdateId: number;
}

/** What one feed frame means. Unknown types are ignored, as the docs require. */
export type CoinbaseProFeedEvent =
  /** `received`, `open`, `done`, `change`, `activate` (sequenced). */
  | { readonly kind: 'order_diff'; readonly diff: OrderDiffMessage }
  /**
   * `match`: on the `full` channel both the diff and the trade apply; on the
   * `matches` channel (L2 mode) only the trade.
   */
  | { readonly kind: 'match'; readonly diff: OrderDiffMessage; readonly trade: TradeMessage }
  /** First message after subscribing to `matches`: a past trade, not a book change. */
  | { readonly kind: 'last_match'; readonly trade: TradeMessage }
  | { readonly kind: 'level2_snapshot'; readonly snapshot: SnapshotMessage }
  | { readonly kind: 'level2_update'; readonly diff: DiffMessage }
  | { readonly kind: 'heartbeat'; readonly heartbeat: CoinbaseProHeartbeatInfo }
  | { readonly kind: 'subscriptions'; readonly channels: CoinbaseProSubscription[] }
  /** Refused request or disconnect notice (`ErrSlowConsume`, ...). */
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly reason: string | undefined;
      readonly error: HbError;
    }
  | { readonly kind: 'ignored'; readonly type: string };

/**
 * One parsed feed frame, dispatched on `type`. `activate` frames without a
 * `sequence` (their sequencing is unconfirmed) are ignored rather than breaking
 * the gap check.
 */
export function parseFeedMessage(raw: unknown, context: FeedContext): CoinbaseProFeedEvent {
  const o = asObject(raw, 'feed message');
  const type = readString(o, 'type', 'feed message');
  switch (type) {
    case 'match': {
      const { diff, trade } = parseFullChannelMessage(o);
      return { kind: 'match', diff, trade: trade as TradeMessage };
    }
    case 'activate':
      if (typeof o['sequence'] !== 'number' || typeof o['time'] !== 'string')
        return { kind: 'ignored', type };
      return { kind: 'order_diff', diff: parseFullChannelMessage(o).diff };
    case 'received':
    case 'open':
    case 'done':
    case 'change':
      return { kind: 'order_diff', diff: parseFullChannelMessage(o).diff };
    case 'last_match':
      return { kind: 'last_match', trade: parseMatchTrade(o) };
    case 'snapshot':
      return {
        kind: 'level2_snapshot',
        snapshot: parseLevel2Snapshot(o, context.level2UpdateId, context.receivedAt),
      };
    case 'l2update':
      return { kind: 'level2_update', diff: parseLevel2Update(o, context.level2UpdateId) };
    case 'heartbeat':
      return { kind: 'heartbeat', heartbeat: parseHeartbeat(o) };
    case 'subscriptions':
      return { kind: 'subscriptions', channels: parseSubscriptions(o) };
    case 'error': {
      const message = readString(o, 'message', 'error');
      const reason = readOptionalString(o, 'reason', 'error');
      return { kind: 'error', message, reason, error: classifyCoinbaseProWsError({ message, reason }) };
    }
    default:
      return { kind: 'ignored', type };
  }
}
