// Names, ids and amounts on the Radar Relay wire: market id <-> `BASE-QUOTE`
// (they are the same: Radar's ids are `ZRX-WETH`), the client-order-id policy,
// the JSON readers every parser uses, and the exact human <-> base-unit
// conversions of token amounts.
import BigNumber from 'bignumber.js';
import { createWireReaders, prefixedClientOrderIds, type ClientOrderIdPolicy } from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** Core's JSON readers, bound to Radar Relay so every parse error names the exchange. */
export const {
  malformed,
  asObject,
  asArray,
  readString,
  readNumber,
  readDecimal,
  readPositiveDecimal,
  readOptionalString,
  readOptionalDecimal,
} = createWireReaders(RADAR_RELAY_EXCHANGE);

/**
 * Client order ids stay local: Radar knows orders by their 0x hash only, so the
 * id never travels; the policy keeps them short and printable.
 */
export const RADAR_RELAY_CLIENT_ORDER_IDS: ClientOrderIdPolicy = prefixedClientOrderIds({
  exchange: RADAR_RELAY_EXCHANGE,
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
  describe: '1-32 characters of [A-Za-z0-9_-]',
});

/** Radar's market id of an hb pair (`ZRX-WETH` both ways). */
export function marketIdOf(tradingPair: string): string {
  return tradingPair;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** True for a 32-byte 0x-hex hash. */
export function isOrderHash(v: unknown): v is string {
  return typeof v === 'string' && HASH.test(v);
}

/** True for a 20-byte 0x-hex address. */
export function isAddress(v: unknown): v is string {
  return typeof v === 'string' && ADDRESS.test(v);
}

/** Human units -> base units, truncated toward zero (what a 0x order can carry). */
export function toBaseUnits(amount: BigNumber.Value, decimals: number): bigint {
  const v = new BigNumber(amount).shiftedBy(decimals).integerValue(BigNumber.ROUND_DOWN);
  if (!v.isFinite() || v.isNegative()) throw new RangeError(`not a token amount: ${String(amount)}`);
  return BigInt(v.toFixed(0));
}

/** Base units -> human units, exactly. */
export function fromBaseUnits(units: bigint, decimals: number): BigNumber {
  return new BigNumber(units.toString()).shiftedBy(-decimals);
}

/**
 * A decimal in plain notation (no exponent), as Radar's Trade API takes amounts
 * and prices (hummingbot formatted them the same way).
 */
export function plainDecimal(v: BigNumber): string {
  return v.toFixed();
}

/**
 * Radar's `createdDate`: a `YYYY-MM-DD HH:MM:SS` UTC string (hummingbot) or a
 * number (the v2 docs typed it BigNumber: seconds or ms). Unreadable -> undefined.
 */
export function parseRadarDate(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e12 ? v * 1000 : v;
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^[0-9]+$/.test(v)) return parseRadarDate(Number(v));
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
