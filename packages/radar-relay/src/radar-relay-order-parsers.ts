// Radar's order objects and their states in core's terms. Core's InFlightOrder
// owns every transition; this file only says what the relayer's answer means.
import BigNumber from 'bignumber.js';
import type { OrderState, OrderSide } from '@hb/core/connector';
import {
  asObject,
  isOrderHash,
  malformed,
  parseRadarDate,
  readDecimal,
  readOptionalDecimal,
  readString,
} from './radar-relay-utils.js';

/** Radar's order states (older types spelled CANCELED; both are read). */
export type RadarOrderState = 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'UNFUNDED';

/** A RadarSignedOrder (book entries, /orders/{hash}, /accounts/{address}/orders, WS events), read. */
export interface RadarOrder {
  /** Lower-case 0x order hash. */
  readonly orderHash: string;
  /** `buy` for BID (rests on the bid side), `sell` for ASK. */
  readonly side: OrderSide;
  readonly state: RadarOrderState;
  /** Quote per base, human units. */
  readonly price: BigNumber;
  /** Base amount still fillable, human units. */
  readonly remainingBase: BigNumber;
  /** Creation time, ms (undefined when the date is unreadable). */
  readonly createdAt: number | undefined;
  /** The 0x order's `expirationTimeSeconds` when the entry carries its signed order. */
  readonly expirationTimeSeconds: bigint | undefined;
  /** The signed 0x order as sent, when the entry carries it. */
  readonly signedOrder: Readonly<Record<string, unknown>> | undefined;
}

/** BID/ASK -> the side the order rests on. */
export function readRadarOrderType(v: unknown, what: string): OrderSide {
  if (v === 'BID') return 'buy';
  if (v === 'ASK') return 'sell';
  throw malformed(`${what} (not BID/ASK)`);
}

/** The relayer's state string, both spellings of cancelled. */
export function readRadarOrderState(v: unknown, what: string): RadarOrderState {
  if (v === 'CANCELED') return 'CANCELLED';
  if (v === 'OPEN' || v === 'FILLED' || v === 'CANCELLED' || v === 'EXPIRED' || v === 'UNFUNDED') return v;
  throw malformed(`${what} (unknown order state ${JSON.stringify(v)})`);
}

/** One RadarSignedOrder. `state` defaults to OPEN for book entries that leave it out. */
export function parseRadarOrder(raw: unknown, what = 'order'): RadarOrder {
  const o = asObject(raw, what);
  const orderHash = readString(o, 'orderHash', what);
  if (!isOrderHash(orderHash)) throw malformed(`${what}.orderHash (not a 32-byte hash)`);
  const side = readRadarOrderType(o['type'], `${what}.type`);
  const state = o['state'] === undefined ? 'OPEN' : readRadarOrderState(o['state'], `${what}.state`);
  const price = new BigNumber(readDecimal(o, 'price', what));
  if (!price.gt(0)) throw malformed(`${what}.price (not above zero)`);
  const remainingBase = new BigNumber(readDecimal(o, 'remainingBaseTokenAmount', what));
  const signed = o['signedOrder'];
  const signedOrder =
    typeof signed === 'object' && signed !== null && !Array.isArray(signed)
      ? (signed as Readonly<Record<string, unknown>>)
      : undefined;
  let expirationTimeSeconds: bigint | undefined;
  if (signedOrder !== undefined) {
    const exp = readOptionalDecimal(signedOrder, 'expirationTimeSeconds', `${what}.signedOrder`);
    if (exp !== undefined && /^[0-9]+$/.test(exp)) expirationTimeSeconds = BigInt(exp);
  }
  return {
    orderHash: orderHash.toLowerCase(),
    side,
    state,
    price,
    remainingBase,
    createdAt: parseRadarDate(o['createdDate']),
    expirationTimeSeconds,
    signedOrder,
  };
}

/**
 * What a relayer state means for our order (radar-relay.md §9): OPEN is open or
 * partially filled (by what remains), FILLED filled, CANCELLED cancelled,
 * EXPIRED expired, and UNFUNDED (the maker's balance or allowance no longer
 * covers it) a failure.
 */
export function radarRelayOrderState(state: RadarOrderState, partiallyFilled: boolean): OrderState {
  switch (state) {
    case 'OPEN':
      return partiallyFilled ? 'PARTIALLY_FILLED' : 'OPEN';
    case 'FILLED':
      return 'FILLED';
    case 'CANCELLED':
      return 'CANCELED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'UNFUNDED':
      return 'FAILED';
  }
}
