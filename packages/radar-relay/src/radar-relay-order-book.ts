// Raw Radar book data -> core's order-based book messages. Radar publishes
// single orders keyed by their 0x hash (radar-relay.md §5): the REST book is an
// order snapshot, and the BOOK topic's NEW / FILL / CANCEL / REMOVE events are
// order changes. Remaining amounts are absolute, so replaying buffered events
// over a newer snapshot converges on the relayer's state.
import type { OrderChange, OrderSnapshotMessage, BookOrder } from '@hb/core/connector';
import { parseRadarOrder, readRadarOrderState, type RadarOrder } from './radar-relay-order-parsers.js';
import { asArray, asObject, isOrderHash, malformed, readDecimal, readString } from './radar-relay-utils.js';

/** One parsed BOOK event: the changes it makes, and the market it is for (by token addresses). */
export interface RadarBookEvent {
  readonly action: 'NEW' | 'FILL' | 'CANCEL' | 'REMOVE';
  /** Lower-case base token address. */
  readonly baseTokenAddress: string;
  /** Lower-case quote token address. */
  readonly quoteTokenAddress: string;
  readonly orderHash: string;
  readonly changes: readonly OrderChange[];
  /** For NEW: the order (its expiry, to prune it locally). */
  readonly order?: RadarOrder;
  /** Event time, ms, when the event carries one (NEW: createdDate; FILL: timestamp). */
  readonly timestamp: number | undefined;
}

function bookOrder(o: RadarOrder): BookOrder {
  return { orderId: o.orderHash, price: o.price.toNumber(), amount: o.remainingBase.toNumber() };
}

/**
 * GET /markets/{id}/book -> an order snapshot. Orders not OPEN, with nothing
 * remaining or already expired at `nowSeconds` are left out (the relayer may
 * list them for a moment; they cannot be filled).
 */
export function parseBookSnapshot(
  raw: unknown,
  tradingPair: string,
  updateId: number,
  timestamp: number,
  nowSeconds: number,
): { message: OrderSnapshotMessage; orders: RadarOrder[] } {
  const o = asObject(raw, 'book');
  const orders: RadarOrder[] = [];
  const side = (key: 'bids' | 'asks', want: 'buy' | 'sell'): BookOrder[] => {
    const out: BookOrder[] = [];
    for (const entry of asArray(o[key], `book.${key}`)) {
      const order = parseRadarOrder(entry, `book.${key}[]`);
      if (order.side !== want) throw malformed(`book.${key}[] ${order.orderHash} (on the wrong side)`);
      if (!isLive(order, nowSeconds)) continue;
      orders.push(order);
      out.push(bookOrder(order));
    }
    return out;
  };
  const bids = side('bids', 'buy');
  const asks = side('asks', 'sell');
  return { message: { type: 'order_snapshot', tradingPair, updateId, timestamp, bids, asks }, orders };
}

/** True for an order that can still be filled: OPEN, something left, not expired. */
export function isLive(order: RadarOrder, nowSeconds: number): boolean {
  return (
    order.state === 'OPEN' &&
    order.remainingBase.gt(0) &&
    (order.expirationTimeSeconds === undefined ||
      order.expirationTimeSeconds > BigInt(Math.floor(nowSeconds)))
  );
}

/** True for a frame that is a BOOK event (has `action`), as opposed to a subscription reply. */
export function isBookEventFrame(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'action' in raw;
}

function readTokenAddress(o: Readonly<Record<string, unknown>>, key: string, what: string): string {
  const v = readString(o, key, what);
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw malformed(`${what}.${key} (not an address)`);
  return v.toLowerCase();
}

function readHash(o: Readonly<Record<string, unknown>>, key: string, what: string): string {
  const v = readString(o, key, what);
  if (!isOrderHash(v)) throw malformed(`${what}.${key} (not a 32-byte hash)`);
  return v.toLowerCase();
}

/** One BOOK event frame `{ action, event }` -> its order changes. Throws `malformed_message` on a bad frame. */
export function parseBookEvent(raw: unknown, nowSeconds: number): RadarBookEvent {
  const frame = asObject(raw, 'book event');
  const action = frame['action'];
  const e = asObject(frame['event'], 'book event.event');
  const baseTokenAddress = readTokenAddress(e, 'baseTokenAddress', 'book event');
  const quoteTokenAddress = readTokenAddress(e, 'quoteTokenAddress', 'book event');
  switch (action) {
    case 'NEW': {
      const order = parseRadarOrder(e['order'], 'NEW.order');
      const changes: OrderChange[] = isLive(order, nowSeconds)
        ? [
            {
              op: 'open',
              orderId: order.orderHash,
              side: order.side,
              price: order.price.toNumber(),
              amount: order.remainingBase.toNumber(),
            },
          ]
        : [{ op: 'remove', orderId: order.orderHash }];
      return {
        action,
        baseTokenAddress,
        quoteTokenAddress,
        orderHash: order.orderHash,
        changes,
        order,
        timestamp: order.createdAt,
      };
    }
    case 'FILL': {
      // The resting order's new state is in event.order (its side too); event.type
      // is the taker's side and is not used here (§5).
      const orderHash = readHash(e, 'orderHash', 'FILL');
      const inner = asObject(e['order'], 'FILL.order');
      const innerHash = readHash(inner, 'orderHash', 'FILL.order');
      if (innerHash !== orderHash) throw malformed('FILL.order.orderHash (differs from FILL.orderHash)');
      const remaining = Number(readDecimal(inner, 'remainingBaseTokenAmount', 'FILL.order'));
      readDecimal(e, 'filledBaseTokenAmount', 'FILL');
      const state =
        inner['state'] === undefined ? 'OPEN' : readRadarOrderState(inner['state'], 'FILL.order.state');
      const done = state !== 'OPEN' || !(remaining > 0);
      const ts = e['timestamp'];
      return {
        action,
        baseTokenAddress,
        quoteTokenAddress,
        orderHash,
        changes: done
          ? [{ op: 'remove', orderId: orderHash }]
          : [{ op: 'change', orderId: orderHash, amount: remaining }],
        timestamp: typeof ts === 'number' && Number.isFinite(ts) ? ts * 1000 : undefined,
      };
    }
    case 'CANCEL':
    case 'REMOVE': {
      const orderHash = readHash(e, 'orderHash', action);
      return {
        action,
        baseTokenAddress,
        quoteTokenAddress,
        orderHash,
        changes: [{ op: 'remove', orderId: orderHash }],
        timestamp: undefined,
      };
    }
    default:
      throw malformed(`book event.action ${JSON.stringify(action)} (not NEW/FILL/CANCEL/REMOVE)`);
  }
}
