import { getAddress, isHexString } from 'ethers';
import { ZeroExError } from './zero-ex-errors.js';

/** The 0x protocol release: `v2` = Exchange v2.1, `v3` = Exchange v3. */
export type ZeroExVersion = 'v2' | 'v3';

/** The zero address: "anyone" as taker, "nobody" as fee recipient or sender. */
export const NULL_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Largest uint256. */
export const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * A 0x order (v2.1 or v3). Amounts are exact base units; addresses are hex
 * (any case: the hash does not depend on it); asset data is 0x-hex.
 * `exchangeAddress` and `chainId` are not in the signed struct: they are the
 * EIP-712 domain (v2's domain has no chain id; it is kept for the relayer).
 */
export interface ZeroExOrder {
  /** Creator and signer. */
  readonly makerAddress: string;
  /** {@link NULL_ADDRESS}: anyone may fill. */
  readonly takerAddress: string;
  /** Receives the fees. */
  readonly feeRecipientAddress: string;
  /** When not {@link NULL_ADDRESS}, only this address may call fill / cancel (a Coordinator). */
  readonly senderAddress: string;
  /** What the maker gives, base units of the maker asset (> 0). */
  readonly makerAssetAmount: bigint;
  /** What the maker wants, base units of the taker asset (> 0). */
  readonly takerAssetAmount: bigint;
  /** v2: ZRX base units; v3: base units of `makerFeeAssetData`. */
  readonly makerFee: bigint;
  /** v2: ZRX base units; v3: base units of `takerFeeAssetData`. */
  readonly takerFee: bigint;
  /** Unix seconds after which the order cannot be filled. */
  readonly expirationTimeSeconds: bigint;
  /** Uniqueness (current time in ms makes `cancelOrdersUpTo` work). */
  readonly salt: bigint;
  /** The maker asset, proxy-encoded (see `encodeErc20AssetData`). */
  readonly makerAssetData: string;
  /** The taker asset, proxy-encoded. */
  readonly takerAssetData: string;
  /** v3: the maker fee asset (`0x` when there is no fee); v2: `0x` (not in the struct). */
  readonly makerFeeAssetData: string;
  /** v3: the taker fee asset; v2: `0x`. */
  readonly takerFeeAssetData: string;
  /** The Exchange contract: the EIP-712 verifying contract. */
  readonly exchangeAddress: string;
  /** The chain: part of v3's EIP-712 domain. */
  readonly chainId: number;
}

/** An order with the maker's signature (`v ‖ r ‖ s ‖ type`, see `signOrder`). */
export interface SignedZeroExOrder extends ZeroExOrder {
  /** 0x-hex signature bytes, ending with the signature type byte. */
  readonly signature: string;
}

/** The Exchange's order status (`getOrderInfo`), the same numbers in v2.1 and v3. */
export const OrderStatus = {
  INVALID: 0,
  INVALID_MAKER_ASSET_AMOUNT: 1,
  INVALID_TAKER_ASSET_AMOUNT: 2,
  FILLABLE: 3,
  EXPIRED: 4,
  FULLY_FILLED: 5,
  CANCELLED: 6,
} as const;

/** One of {@link OrderStatus}'s names. */
export type OrderStatusName = keyof typeof OrderStatus;

const STATUS_NAMES: readonly OrderStatusName[] = [
  'INVALID',
  'INVALID_MAKER_ASSET_AMOUNT',
  'INVALID_TAKER_ASSET_AMOUNT',
  'FILLABLE',
  'EXPIRED',
  'FULLY_FILLED',
  'CANCELLED',
];

/** The name of an order status number (`INVALID` for numbers out of range). */
export function orderStatusName(status: number): OrderStatusName {
  return STATUS_NAMES[status] ?? 'INVALID';
}

/** The uint256 fields, in struct order. */
export const UINT_FIELDS = [
  'makerAssetAmount',
  'takerAssetAmount',
  'makerFee',
  'takerFee',
  'expirationTimeSeconds',
  'salt',
] as const;

/** The address fields, in struct order. */
export const ADDRESS_FIELDS = [
  'makerAddress',
  'takerAddress',
  'feeRecipientAddress',
  'senderAddress',
] as const;

/** The bytes fields of v2's struct; v3 adds the two fee asset fields. */
export const BYTES_FIELDS_V2 = ['makerAssetData', 'takerAssetData'] as const;
/** The bytes fields of v3's struct. */
export const BYTES_FIELDS_V3 = [...BYTES_FIELDS_V2, 'makerFeeAssetData', 'takerFeeAssetData'] as const;

/**
 * Checks an order's fields (types, ranges, hex) and returns it with addresses
 * checksummed and hex lower-cased; throws `ZeroExError('invalid_order')`
 * naming the field otherwise. Zero amounts pass (the Exchange reports them as
 * a status); callers building orders use {@link assertFillableShape}.
 */
export function normalizeOrder<T extends ZeroExOrder>(order: T): T {
  if (order === null || typeof order !== 'object')
    throw new ZeroExError('invalid_order', 'an order must be an object');
  const out = { ...order } as unknown as Record<string, unknown>;
  for (const f of ADDRESS_FIELDS) out[f] = checkAddress(order[f], f);
  out['exchangeAddress'] = checkAddress(order.exchangeAddress, 'exchangeAddress');
  for (const f of UINT_FIELDS) {
    const v = order[f];
    if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256)
      throw new ZeroExError('invalid_order', `order.${f} must be a uint256 bigint, got ${describe(v)}`);
  }
  for (const f of BYTES_FIELDS_V3) out[f] = checkBytes(order[f], f);
  if (!Number.isSafeInteger(order.chainId) || order.chainId <= 0)
    throw new ZeroExError(
      'invalid_order',
      `order.chainId must be a positive integer, got ${describe(order.chainId)}`,
    );
  if ('signature' in order)
    out['signature'] = checkBytes((order as { signature?: unknown }).signature, 'signature');
  return out as T;
}

/** Throws `invalid_order` when an order could never be filled: zero amounts. */
export function assertFillableShape(order: ZeroExOrder): void {
  if (order.makerAssetAmount === 0n)
    throw new ZeroExError('invalid_order', 'order.makerAssetAmount must be greater than 0');
  if (order.takerAssetAmount === 0n)
    throw new ZeroExError('invalid_order', 'order.takerAssetAmount must be greater than 0');
}

function checkAddress(v: unknown, field: string): string {
  if (typeof v !== 'string' || !isHexString(v, 20))
    throw new ZeroExError(
      'invalid_order',
      `order.${field} must be a 20-byte hex address, got ${describe(v)}`,
    );
  try {
    return getAddress(v);
  } catch (e) {
    // A mixed-case address with a wrong checksum: a typo, not an address.
    throw new ZeroExError('invalid_order', `order.${field} has a bad checksum: ${v}`, { cause: e });
  }
}

function checkBytes(v: unknown, field: string): string {
  if (typeof v !== 'string' || !isHexString(v) || v.length % 2 !== 0)
    throw new ZeroExError(
      'invalid_order',
      `order.${field} must be 0x-prefixed hex bytes, got ${describe(v)}`,
    );
  return v.toLowerCase();
}

/** A checksummed address, or `ZeroExError('malformed_json')` naming what it was (for relayer answers). */
export function getAddressSafe(v: string, what: string): string {
  if (!isHexString(v, 20))
    throw new ZeroExError('malformed_json', `${what} must be a 20-byte hex address, got ${describe(v)}`);
  try {
    return getAddress(v);
  } catch (e) {
    throw new ZeroExError('malformed_json', `${what} has a bad checksum: ${v}`, { cause: e });
  }
}

/** A short, safe description of a bad value for error messages. */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (v === undefined) return 'undefined';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}
