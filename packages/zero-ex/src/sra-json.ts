import { hashOrder } from './eip712.js';
import {
  ADDRESS_FIELDS,
  UINT_FIELDS,
  describe,
  normalizeOrder,
  type SignedZeroExOrder,
  type ZeroExOrder,
  type ZeroExVersion,
} from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** An order as the Standard Relayer API carries it: amounts as base-10 strings, addresses lower case. */
export interface SraOrderJson {
  /** v3 only. */
  readonly chainId?: number;
  readonly exchangeAddress: string;
  readonly makerAddress: string;
  readonly takerAddress: string;
  readonly feeRecipientAddress: string;
  readonly senderAddress: string;
  readonly makerAssetAmount: string;
  readonly takerAssetAmount: string;
  readonly makerFee: string;
  readonly takerFee: string;
  readonly expirationTimeSeconds: string;
  readonly salt: string;
  readonly makerAssetData: string;
  readonly takerAssetData: string;
  /** v3 only. */
  readonly makerFeeAssetData?: string;
  /** v3 only. */
  readonly takerFeeAssetData?: string;
  /** Present on signed orders. */
  readonly signature?: string;
}

/** Options of {@link orderFromSraJson}. */
export interface SraParseOptions {
  /**
   * The protocol version the JSON is in. Default: `v3` when the JSON has
   * `chainId` or fee asset data, else `v2`.
   */
  readonly version?: ZeroExVersion;
  /**
   * The chain for v2 JSON (which carries none; SRA v2 selects it with
   * `networkId`, default 1). v3 JSON must carry its own, and it must agree.
   */
  readonly chainId?: number;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * An order as SRA JSON: decimal strings for amounts, lower-case addresses.
 * v2 JSON has no `chainId` and no fee asset data. The signature is included
 * when the order has one.
 */
export function orderToSraJson(
  order: ZeroExOrder | SignedZeroExOrder,
  version: ZeroExVersion = 'v3',
): SraOrderJson {
  const o = normalizeOrder(order);
  const json: Record<string, string | number> = {};
  if (version === 'v3') json['chainId'] = o.chainId;
  json['exchangeAddress'] = o.exchangeAddress.toLowerCase();
  for (const f of ADDRESS_FIELDS) json[f] = o[f].toLowerCase();
  for (const f of UINT_FIELDS) json[f] = o[f].toString(10);
  json['makerAssetData'] = o.makerAssetData;
  json['takerAssetData'] = o.takerAssetData;
  if (version === 'v3') {
    json['makerFeeAssetData'] = o.makerFeeAssetData;
    json['takerFeeAssetData'] = o.takerFeeAssetData;
  }
  const signature = (o as Partial<SignedZeroExOrder>).signature;
  if (signature !== undefined) json['signature'] = signature;
  return json as unknown as SraOrderJson;
}

/**
 * Parses SRA order JSON (v2 or v3). Every field is checked: amounts must be
 * base-10 integer strings within uint256, addresses 20-byte hex, asset data
 * hex; anything else → `ZeroExError('malformed_json')` naming the field. A
 * `signature` in the JSON is kept (use {@link signedOrderFromSraJson} to
 * require one).
 */
export function orderFromSraJson(
  json: unknown,
  options: SraParseOptions = {},
): ZeroExOrder | SignedZeroExOrder {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ZeroExError('malformed_json', `an SRA order must be a JSON object, got ${describe(json)}`);
  const j = json as Record<string, unknown>;
  const version = options.version ?? sraJsonVersion(j);
  const order: Record<string, unknown> = {};
  for (const f of ADDRESS_FIELDS) order[f] = str(j, f);
  order['exchangeAddress'] = str(j, 'exchangeAddress');
  for (const f of UINT_FIELDS) {
    const v = str(j, f);
    if (!DECIMAL.test(v))
      throw new ZeroExError('malformed_json', `${f} must be a base-10 integer string, got ${describe(v)}`);
    order[f] = BigInt(v);
  }
  order['makerAssetData'] = str(j, 'makerAssetData');
  order['takerAssetData'] = str(j, 'takerAssetData');
  if (version === 'v3') {
    order['makerFeeAssetData'] = str(j, 'makerFeeAssetData');
    order['takerFeeAssetData'] = str(j, 'takerFeeAssetData');
    const chainId = j['chainId'];
    if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0)
      throw new ZeroExError('malformed_json', `chainId must be a positive integer, got ${describe(chainId)}`);
    if (options.chainId !== undefined && options.chainId !== chainId)
      throw new ZeroExError(
        'malformed_json',
        `the order is for chain ${chainId}, expected ${options.chainId}`,
      );
    order['chainId'] = chainId;
  } else {
    order['makerFeeAssetData'] = '0x';
    order['takerFeeAssetData'] = '0x';
    order['chainId'] = options.chainId ?? 1;
  }
  if (j['signature'] !== undefined) order['signature'] = str(j, 'signature');
  try {
    return normalizeOrder(order as unknown as ZeroExOrder);
  } catch (e) {
    if (e instanceof ZeroExError)
      throw new ZeroExError('malformed_json', `bad SRA order: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Parses a signed SRA order; `malformed_json` when the signature is missing. */
export function signedOrderFromSraJson(json: unknown, options: SraParseOptions = {}): SignedZeroExOrder {
  const order = orderFromSraJson(json, options);
  if (!('signature' in order)) throw new ZeroExError('malformed_json', 'the SRA order has no signature');
  return order;
}

/** An SRA order record (`{ order, metaData }`), parsed. */
export interface SraOrderRecord {
  readonly order: SignedZeroExOrder;
  /** The order hash: recomputed locally (a relayer's `metaData.orderHash` must agree). */
  readonly orderHash: string;
  /**
   * Remaining fillable taker asset per the relayer (`remainingFillableTakerAssetAmount`,
   * or `remainingTakerAssetAmount`), else the full `takerAssetAmount`.
   */
  readonly remainingFillableTakerAssetAmount: bigint;
  /** The relayer's metaData as sent (relayer-defined). */
  readonly metaData: Readonly<Record<string, unknown>>;
}

/**
 * Parses an SRA order record. The hash is recomputed; a `metaData.orderHash`
 * that disagrees is `malformed_json` (the relayer and we would key the order
 * differently). The remaining amount is checked to be within the order.
 */
export function parseSraOrderRecord(json: unknown, options: SraParseOptions = {}): SraOrderRecord {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ZeroExError('malformed_json', `an SRA order record must be an object, got ${describe(json)}`);
  const rec = json as { order?: unknown; metaData?: unknown };
  const order = signedOrderFromSraJson(rec.order, options);
  const hash = hashOrder(order, options.version ?? sraJsonVersion(rec.order as Record<string, unknown>));
  const meta =
    rec.metaData === undefined || rec.metaData === null
      ? {}
      : typeof rec.metaData === 'object' && !Array.isArray(rec.metaData)
        ? (rec.metaData as Record<string, unknown>)
        : undefined;
  if (meta === undefined) throw new ZeroExError('malformed_json', 'metaData must be an object');
  const claimed = meta['orderHash'];
  if (claimed !== undefined && (typeof claimed !== 'string' || claimed.toLowerCase() !== hash))
    throw new ZeroExError(
      'malformed_json',
      `metaData.orderHash ${describe(claimed)} is not the order's hash ${hash}`,
      {
        orderHash: hash,
      },
    );
  const remainingRaw = meta['remainingFillableTakerAssetAmount'] ?? meta['remainingTakerAssetAmount'];
  let remaining = order.takerAssetAmount;
  if (remainingRaw !== undefined) {
    if (typeof remainingRaw !== 'string' || !DECIMAL.test(remainingRaw))
      throw new ZeroExError(
        'malformed_json',
        `the remaining amount must be a base-10 string, got ${describe(remainingRaw)}`,
        {
          orderHash: hash,
        },
      );
    remaining = BigInt(remainingRaw);
    if (remaining > order.takerAssetAmount)
      throw new ZeroExError(
        'malformed_json',
        `the remaining amount ${remaining} exceeds the order's takerAssetAmount ${order.takerAssetAmount}`,
        { orderHash: hash },
      );
  }
  return { order, orderHash: hash, remainingFillableTakerAssetAmount: remaining, metaData: meta };
}

/** The version SRA order JSON is in: v3 JSON has `chainId` and fee asset data, v2 JSON neither. */
export function sraJsonVersion(json: Readonly<Record<string, unknown>>): ZeroExVersion {
  return json['chainId'] !== undefined ||
    json['makerFeeAssetData'] !== undefined ||
    json['takerFeeAssetData'] !== undefined
    ? 'v3'
    : 'v2';
}

function str(j: Record<string, unknown>, field: string): string {
  const v = j[field];
  if (typeof v !== 'string')
    throw new ZeroExError('malformed_json', `${field} must be a string, got ${describe(v)}`);
  return v;
}
