// What the relayer checks before it accepts a posted 0x v3 order, in the order a
// relayer would (zero-ex.md §12): the JSON's form; the relayer's own rules
// (chain, exchange, listed pair, open taker and sender, fee recipient and fees,
// size limits); then the chain: the order's hash and status come from the
// deployed Exchange's getOrderInfo and its signature from the Exchange's
// isValidHashSignature, never from TypeScript hashing, so a hashing mistake in a
// connector cannot be confirmed by the same mistake here; last, the maker's
// balance and allowance to the ERC20Proxy.
import BigNumber from 'bignumber.js';
import { Contract, ZeroAddress } from 'ethers';
import { OrderStatus } from '@hb/zero-ex';
import { erc20Reader, type RadarSimDeployment, type RadarSimToken } from './radar-relay-sim-chain.js';
import type { RadarSimMarket } from './radar-relay-sim-orders.js';
import {
  RADAR_SIM_REASONS as R,
  SRA_ERROR,
  SRA_FIELD_ERROR as F,
  type RadarSimErrorBody,
  type RadarSimFieldError,
  type RadarSimOrderType,
  type RadarSimSignedOrderJson,
} from './radar-relay-sim-types.js';

/** The relayer's rules for orders it accepts. */
export interface RadarSimOrderRules {
  readonly chainId: number;
  /** Lower-case Exchange address. */
  readonly exchangeAddress: string;
  /** Lower-case fee recipient every order must name. */
  readonly feeRecipientAddress: string;
  /** Maker fee every order must carry, base units of the fee asset (Radar: 0). */
  readonly makerFee: bigint;
  /** Taker fee every order must carry (Radar: 0). */
  readonly takerFee: bigint;
  /** An order must still have this many seconds to live when posted. */
  readonly minSecondsToExpiry: number;
}

/** 0x v3 OrderStatus (getOrderInfo): the contract's numbers, as @hb/zero-ex lists them. */
export const ORDER_STATUS = OrderStatus;

/** getOrderInfo's answer. */
export interface ContractOrderInfo {
  readonly orderStatus: number;
  /** Lower-case hash. */
  readonly orderHash: string;
  readonly orderTakerAssetFilledAmount: bigint;
}

/** The outcome of validating a posted order. */
export type OrderValidation =
  | {
      readonly ok: true;
      readonly order: RadarSimSignedOrderJson;
      readonly market: RadarSimMarket;
      readonly type: RadarSimOrderType;
      readonly info: ContractOrderInfo;
    }
  | { readonly ok: false; readonly body: RadarSimErrorBody };

const ADDRESS_FIELDS = [
  'makerAddress',
  'takerAddress',
  'feeRecipientAddress',
  'senderAddress',
  'exchangeAddress',
] as const;
const UINT_FIELDS = [
  'makerAssetAmount',
  'takerAssetAmount',
  'makerFee',
  'takerFee',
  'expirationTimeSeconds',
  'salt',
] as const;
const BYTES_FIELDS = [
  'makerAssetData',
  'takerAssetData',
  'makerFeeAssetData',
  'takerFeeAssetData',
  'signature',
] as const;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT = /^(0|[1-9][0-9]*)$/;
const BYTES = /^0x([0-9a-fA-F]{2})*$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const MAX_UINT256 = 2n ** 256n - 1n;
const ERC20_PROXY_ID = '0xf47261b0';

/** A 400 body: SRA v3 "Validation failed" with the field errors. */
export function validationFailed(errors: readonly RadarSimFieldError[]): RadarSimErrorBody {
  return { code: SRA_ERROR.validationFailed, reason: 'Validation failed', validationErrors: errors };
}

/** The order tuple the Exchange's functions take. */
export function orderTuple(o: RadarSimSignedOrderJson): Record<string, string | bigint> {
  return {
    makerAddress: o.makerAddress,
    takerAddress: o.takerAddress,
    feeRecipientAddress: o.feeRecipientAddress,
    senderAddress: o.senderAddress,
    makerAssetAmount: BigInt(o.makerAssetAmount),
    takerAssetAmount: BigInt(o.takerAssetAmount),
    makerFee: BigInt(o.makerFee),
    takerFee: BigInt(o.takerFee),
    expirationTimeSeconds: BigInt(o.expirationTimeSeconds),
    salt: BigInt(o.salt),
    makerAssetData: o.makerAssetData,
    takerAssetData: o.takerAssetData,
    makerFeeAssetData: o.makerFeeAssetData,
    takerFeeAssetData: o.takerFeeAssetData,
  };
}

/** The deployed Exchange's getOrderInfo for an order. */
export async function contractOrderInfo(
  exchange: Contract,
  o: RadarSimSignedOrderJson,
  blockTag?: number,
): Promise<ContractOrderInfo> {
  const call = exchange.getFunction('getOrderInfo');
  const tuple = orderTuple(o);
  const r = (await (blockTag === undefined
    ? call.staticCall(tuple)
    : call.staticCall(tuple, { blockTag }))) as {
    orderStatus: bigint;
    orderHash: string;
    orderTakerAssetFilledAmount: bigint;
  };
  return {
    orderStatus: Number(r.orderStatus),
    orderHash: r.orderHash.toLowerCase(),
    orderTakerAssetFilledAmount: r.orderTakerAssetFilledAmount,
  };
}

/** The token an ERC-20 asset data names, or undefined when it is not well-formed ERC-20 asset data. */
export function erc20TokenOf(assetData: string): string | undefined {
  const d = assetData.toLowerCase();
  // 4-byte proxy id + one 32-byte word whose top 12 bytes are zero.
  if (d.length !== 2 + 8 + 64 || !d.startsWith(ERC20_PROXY_ID)) return undefined;
  if (!/^0{24}$/.test(d.slice(10, 34))) return undefined;
  return `0x${d.slice(34)}`;
}

/**
 * Validates a posted order (the parsed JSON body) against the relayer's rules and
 * the chain. `chainNow` is the chain's time, seconds.
 */
export async function validateOrder(
  body: unknown,
  context: {
    readonly rules: RadarSimOrderRules;
    readonly deployment: RadarSimDeployment;
    readonly markets: readonly RadarSimMarket[];
    readonly chainNow: number;
    /** Read the order's status and filled amount at this block (default the latest). */
    readonly blockTag?: number;
  },
): Promise<OrderValidation> {
  const fail = (errors: RadarSimFieldError[]): OrderValidation => ({
    ok: false,
    body: validationFailed(errors),
  });

  // 1. Form.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail([{ field: 'order', code: F.incorrectFormat, reason: R.format }]);
  }
  const raw = body as Record<string, unknown>;
  const errors: RadarSimFieldError[] = [];
  const str = (field: string, pattern: RegExp, code: number, reason: string): string | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) {
      errors.push({ field, code: F.requiredField, reason: R.required });
      return undefined;
    }
    if (typeof v !== 'string' || !pattern.test(v)) {
      errors.push({ field, code, reason });
      return undefined;
    }
    return v.toLowerCase();
  };
  const values: Record<string, string> = {};
  for (const f of ADDRESS_FIELDS) {
    const v = str(f, ADDRESS, F.invalidAddress, R.invalidAddress);
    if (v !== undefined) values[f] = v;
  }
  for (const f of UINT_FIELDS) {
    const v = str(f, UINT, F.incorrectFormat, R.format);
    if (v !== undefined) {
      if (BigInt(v) > MAX_UINT256) errors.push({ field: f, code: F.valueOutOfRange, reason: R.format });
      else values[f] = v;
    }
  }
  for (const f of BYTES_FIELDS) {
    const v = str(f, BYTES, F.incorrectFormat, R.format);
    if (v !== undefined) values[f] = v;
  }
  const chainIdRaw = raw['chainId'];
  let chainId: number | undefined;
  if (chainIdRaw === undefined || chainIdRaw === null) {
    errors.push({ field: 'chainId', code: F.requiredField, reason: R.required });
  } else if (typeof chainIdRaw === 'number' && Number.isSafeInteger(chainIdRaw) && chainIdRaw > 0) {
    chainId = chainIdRaw;
  } else {
    errors.push({ field: 'chainId', code: F.incorrectFormat, reason: R.format });
  }
  let claimedHash: string | undefined;
  if (raw['orderHash'] !== undefined) {
    claimedHash = str('orderHash', HASH, F.incorrectFormat, R.format);
  }
  if (errors.length > 0) return fail(errors);
  const order = { ...values, chainId } as unknown as RadarSimSignedOrderJson;

  // 2. The relayer's own rules.
  const { rules, deployment, markets } = context;
  if (order.chainId !== rules.chainId) {
    errors.push({ field: 'chainId', code: F.unsupportedOption, reason: R.chainNotSupported });
  }
  if (order.exchangeAddress !== rules.exchangeAddress) {
    errors.push({ field: 'exchangeAddress', code: F.addressNotSupported, reason: R.exchangeNotSupported });
  }
  if (order.takerAddress !== ZeroAddress) {
    errors.push({ field: 'takerAddress', code: F.addressNotSupported, reason: R.takerNotOpen });
  }
  if (order.senderAddress !== ZeroAddress) {
    errors.push({ field: 'senderAddress', code: F.addressNotSupported, reason: R.senderNotOpen });
  }
  if (order.feeRecipientAddress !== rules.feeRecipientAddress) {
    errors.push({ field: 'feeRecipientAddress', code: F.addressNotSupported, reason: R.feeRecipient });
  }
  if (BigInt(order.makerFee) !== rules.makerFee) {
    errors.push({ field: 'makerFee', code: F.valueOutOfRange, reason: R.fee });
  }
  if (BigInt(order.takerFee) !== rules.takerFee) {
    errors.push({ field: 'takerFee', code: F.valueOutOfRange, reason: R.fee });
  }
  // With a zero fee the spec accepts "0x" or any well-formed asset data.
  for (const f of ['makerFeeAssetData', 'takerFeeAssetData'] as const) {
    const d = order[f];
    if (d !== '0x' && erc20TokenOf(d) === undefined) {
      errors.push({ field: f, code: F.unsupportedOption, reason: R.feeAssetData });
    }
  }
  const makerToken = erc20TokenOf(order.makerAssetData);
  const takerToken = erc20TokenOf(order.takerAssetData);
  if (makerToken === undefined)
    errors.push({ field: 'makerAssetData', code: F.unsupportedOption, reason: R.assetData });
  if (takerToken === undefined)
    errors.push({ field: 'takerAssetData', code: F.unsupportedOption, reason: R.assetData });
  let market: RadarSimMarket | undefined;
  let type: RadarSimOrderType | undefined;
  if (makerToken !== undefined && takerToken !== undefined) {
    for (const m of markets) {
      if (m.base.address === makerToken && m.quote.address === takerToken) {
        market = m;
        type = 'ASK';
      } else if (m.quote.address === makerToken && m.base.address === takerToken) {
        market = m;
        type = 'BID';
      }
    }
    if (market === undefined) {
      errors.push({ field: 'makerAssetData', code: F.unsupportedOption, reason: R.unknownMarket });
    }
  }
  const makerAmount = BigInt(order.makerAssetAmount);
  const takerAmount = BigInt(order.takerAssetAmount);
  if (makerAmount === 0n)
    errors.push({ field: 'makerAssetAmount', code: F.valueOutOfRange, reason: R.nonZero });
  if (takerAmount === 0n)
    errors.push({ field: 'takerAssetAmount', code: F.valueOutOfRange, reason: R.nonZero });
  if (market !== undefined && type !== undefined && makerAmount > 0n && takerAmount > 0n) {
    const baseField = type === 'ASK' ? 'makerAssetAmount' : 'takerAssetAmount';
    const baseAmount = new BigNumber((type === 'ASK' ? makerAmount : takerAmount).toString()).shiftedBy(
      -market.base.decimals,
    );
    if (baseAmount.lt(market.spec.minOrderSize)) {
      errors.push({ field: baseField, code: F.valueOutOfRange, reason: R.belowMinimum });
    } else if (baseAmount.gt(market.spec.maxOrderSize ?? '1000000000')) {
      errors.push({ field: baseField, code: F.valueOutOfRange, reason: R.aboveMaximum });
    }
  }
  if (BigInt(order.expirationTimeSeconds) < BigInt(Math.floor(context.chainNow + rules.minSecondsToExpiry))) {
    const expired = BigInt(order.expirationTimeSeconds) <= BigInt(Math.floor(context.chainNow));
    errors.push({
      field: 'expirationTimeSeconds',
      code: F.valueOutOfRange,
      reason: expired ? R.expired : R.expiresTooSoon,
    });
  }
  const sig = order.signature;
  const sigType = sig.length === 2 + 66 * 2 ? sig.slice(-2) : undefined;
  if (sigType !== '02' && sigType !== '03') {
    errors.push({ field: 'signature', code: F.invalidSignatureOrHash, reason: R.signatureType });
  }
  if (errors.length > 0 || market === undefined || type === undefined) return fail(errors);

  // 3. The chain: hash and status from the Exchange, then the signature over that hash.
  const exchange = deployment.zeroEx.exchange;
  const info = await contractOrderInfo(exchange, order, context.blockTag);
  if (claimedHash !== undefined && claimedHash !== info.orderHash) {
    return fail([{ field: 'orderHash', code: F.invalidSignatureOrHash, reason: R.hashMismatch }]);
  }
  switch (info.orderStatus) {
    case ORDER_STATUS.FILLABLE:
      break;
    case ORDER_STATUS.EXPIRED:
      return fail([{ field: 'expirationTimeSeconds', code: F.valueOutOfRange, reason: R.expired }]);
    case ORDER_STATUS.FULLY_FILLED:
      return fail([{ field: 'takerAssetAmount', code: F.valueOutOfRange, reason: R.filled }]);
    case ORDER_STATUS.CANCELLED:
      return fail([{ field: 'salt', code: F.valueOutOfRange, reason: R.cancelled }]);
    default:
      return fail([{ field: 'makerAssetAmount', code: F.valueOutOfRange, reason: R.invalidAmount }]);
  }
  // The signature check and the funds reads are independent: done at once.
  const remainingTaker = takerAmount - info.orderTakerAssetFilledAmount;
  const remainingMaker = (remainingTaker * makerAmount) / takerAmount;
  const makerTok = type === 'ASK' ? market.base : market.quote;
  const [validSignature, funds] = await Promise.all([
    (
      exchange
        .getFunction('isValidHashSignature')
        .staticCall(info.orderHash, order.makerAddress, order.signature) as Promise<boolean>
    ).catch(
      // The Exchange reverts on malformed signatures (bad length, v out of range):
      // as invalid as a signature by someone else.
      () => false,
    ),
    fundsOf(deployment, order.makerAddress, makerTok.address),
  ]);
  if (!validSignature) {
    return fail([{ field: 'signature', code: F.invalidSignatureOrHash, reason: R.invalidSignature }]);
  }

  // 4. Funds: what the order still pays out must be in the maker's wallet and allowed to the proxy.
  if (funds.balance < remainingMaker) {
    return fail([{ field: 'makerAssetAmount', code: F.valueOutOfRange, reason: R.insufficientBalance }]);
  }
  if (funds.allowance < remainingMaker) {
    return fail([{ field: 'makerAssetAmount', code: F.valueOutOfRange, reason: R.insufficientAllowance }]);
  }
  const makerFee = BigInt(order.makerFee);
  const feeToken = erc20TokenOf(order.makerFeeAssetData);
  if (makerFee > 0n && feeToken !== undefined) {
    const need = makerFee + (feeToken === makerTok.address ? remainingMaker : 0n);
    const f = await fundsOf(deployment, order.makerAddress, feeToken);
    if (f.balance < need) {
      return fail([{ field: 'makerFee', code: F.valueOutOfRange, reason: R.insufficientFeeBalance }]);
    }
    if (f.allowance < need) {
      return fail([{ field: 'makerFee', code: F.valueOutOfRange, reason: R.insufficientFeeAllowance }]);
    }
  }
  return { ok: true, order, market, type, info };
}

/** A maker's balance of a token and its allowance to the ERC20Proxy. */
export async function fundsOf(
  deployment: RadarSimDeployment,
  owner: string,
  token: string,
): Promise<{ balance: bigint; allowance: bigint }> {
  const c = readerCache(deployment, token);
  const [balance, allowance] = (await Promise.all([
    c.getFunction('balanceOf').staticCall(owner),
    c.getFunction('allowance').staticCall(owner, deployment.erc20ProxyAddress),
  ])) as [bigint, bigint];
  return { balance, allowance };
}

const readers = new WeakMap<RadarSimDeployment, Map<string, Contract>>();

function readerCache(deployment: RadarSimDeployment, token: string): Contract {
  let m = readers.get(deployment);
  if (m === undefined) {
    m = new Map();
    readers.set(deployment, m);
  }
  let c = m.get(token);
  if (c === undefined) {
    c = erc20Reader(deployment, token);
    m.set(token, c);
  }
  return c;
}

/** The token record of an address among the deployment's tokens. */
export function tokenByAddress(deployment: RadarSimDeployment, address: string): RadarSimToken | undefined {
  const a = address.toLowerCase();
  return [...deployment.tokens.values()].find((t) => t.address === a);
}
