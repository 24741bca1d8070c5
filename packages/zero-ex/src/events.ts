import { getAddress, type Log, type LogDescription, type TransactionReceipt } from 'ethers';
import { EXCHANGE_INTERFACE } from './exchange-abi.js';
import type { ZeroExVersion } from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** Where an event was logged. */
export interface ZeroExEventLocation {
  /** The Exchange that emitted it. */
  readonly exchangeAddress: string;
  readonly transactionHash: string;
  readonly blockNumber: number;
  /** Index of the log in its block. */
  readonly logIndex: number;
}

/** An Exchange `Fill` event (v2.1 or v3), amounts in base units. */
export interface ZeroExFillEvent extends ZeroExEventLocation {
  readonly type: 'fill';
  readonly version: ZeroExVersion;
  readonly orderHash: string;
  readonly makerAddress: string;
  readonly takerAddress: string;
  readonly feeRecipientAddress: string;
  readonly senderAddress: string;
  /** What the maker gave (and the taker received). */
  readonly makerAssetFilledAmount: bigint;
  /** What the taker gave (and the maker received). */
  readonly takerAssetFilledAmount: bigint;
  readonly makerFeePaid: bigint;
  readonly takerFeePaid: bigint;
  /** v3: ETH (or WETH) the taker paid as protocol fee for this order; v2: 0. */
  readonly protocolFeePaid: bigint;
  readonly makerAssetData: string;
  readonly takerAssetData: string;
  /** v3 only; `0x` for v2. */
  readonly makerFeeAssetData: string;
  /** v3 only; `0x` for v2. */
  readonly takerFeeAssetData: string;
}

/** An Exchange `Cancel` event. */
export interface ZeroExCancelEvent extends ZeroExEventLocation {
  readonly type: 'cancel';
  readonly version: ZeroExVersion;
  readonly orderHash: string;
  readonly makerAddress: string;
  readonly feeRecipientAddress: string;
  readonly senderAddress: string;
  readonly makerAssetData: string;
  readonly takerAssetData: string;
}

/**
 * An Exchange `CancelUpTo` event: every order of the maker (and sender) with
 * salt below `orderEpoch` is cancelled. The event is the same in v2.1 and v3
 * (same topic), so it carries no version.
 */
export interface ZeroExCancelUpToEvent extends ZeroExEventLocation {
  readonly type: 'cancelUpTo';
  readonly makerAddress: string;
  readonly senderAddress: string;
  readonly orderEpoch: bigint;
}

/** Topic0 of each event, per version. */
export const ZERO_EX_EVENT_TOPICS = {
  v2: {
    Fill: EXCHANGE_INTERFACE.v2.getEvent('Fill')!.topicHash,
    Cancel: EXCHANGE_INTERFACE.v2.getEvent('Cancel')!.topicHash,
    CancelUpTo: EXCHANGE_INTERFACE.v2.getEvent('CancelUpTo')!.topicHash,
  },
  v3: {
    Fill: EXCHANGE_INTERFACE.v3.getEvent('Fill')!.topicHash,
    Cancel: EXCHANGE_INTERFACE.v3.getEvent('Cancel')!.topicHash,
    CancelUpTo: EXCHANGE_INTERFACE.v3.getEvent('CancelUpTo')!.topicHash,
  },
} as const;

/** The log fields decoding needs (an ethers `Log` or a raw JSON-RPC log with a numeric block and index). */
export interface RawLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly transactionHash: string;
  readonly blockNumber: number;
  /** ethers calls it `index`, JSON-RPC `logIndex`. */
  readonly index?: number;
  readonly logIndex?: number;
}

function which(log: RawLog, name: 'Fill' | 'Cancel' | 'CancelUpTo'): ZeroExVersion | undefined {
  const t = log.topics[0]?.toLowerCase();
  if (t === ZERO_EX_EVENT_TOPICS.v3[name]) return 'v3';
  if (t === ZERO_EX_EVENT_TOPICS.v2[name]) return 'v2';
  return undefined;
}

function parse(log: RawLog, version: ZeroExVersion, name: string): LogDescription {
  let parsed: LogDescription | null;
  try {
    parsed = EXCHANGE_INTERFACE[version].parseLog({ topics: [...log.topics], data: log.data });
  } catch (e) {
    throw new ZeroExError(
      'malformed_json',
      `a ${version} ${name} log does not decode: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  if (!parsed) throw new ZeroExError('malformed_json', `not a ${version} ${name} log`);
  return parsed;
}

function location(log: RawLog): ZeroExEventLocation {
  return {
    exchangeAddress: getAddress(log.address),
    transactionHash: log.transactionHash,
    blockNumber: log.blockNumber,
    logIndex: log.index ?? log.logIndex ?? -1,
  };
}

/**
 * Decodes an Exchange `Fill` log (v2.1 or v3, told apart by topic0). Returns
 * undefined for any other log; a Fill log that does not decode is a typed error.
 */
export function decodeFillEvent(log: RawLog | Log): ZeroExFillEvent | undefined {
  const version = which(log, 'Fill');
  if (!version) return undefined;
  const a = parse(log, version, 'Fill').args;
  return {
    type: 'fill',
    version,
    ...location(log),
    orderHash: (a.getValue('orderHash') as string).toLowerCase(),
    makerAddress: getAddress(a.getValue('makerAddress') as string),
    takerAddress: getAddress(a.getValue('takerAddress') as string),
    feeRecipientAddress: getAddress(a.getValue('feeRecipientAddress') as string),
    senderAddress: getAddress(a.getValue('senderAddress') as string),
    makerAssetFilledAmount: a.getValue('makerAssetFilledAmount') as bigint,
    takerAssetFilledAmount: a.getValue('takerAssetFilledAmount') as bigint,
    makerFeePaid: a.getValue('makerFeePaid') as bigint,
    takerFeePaid: a.getValue('takerFeePaid') as bigint,
    protocolFeePaid: version === 'v3' ? (a.getValue('protocolFeePaid') as bigint) : 0n,
    makerAssetData: (a.getValue('makerAssetData') as string).toLowerCase(),
    takerAssetData: (a.getValue('takerAssetData') as string).toLowerCase(),
    makerFeeAssetData: version === 'v3' ? (a.getValue('makerFeeAssetData') as string).toLowerCase() : '0x',
    takerFeeAssetData: version === 'v3' ? (a.getValue('takerFeeAssetData') as string).toLowerCase() : '0x',
  };
}

/** Decodes an Exchange `Cancel` log (v2.1 or v3); undefined for any other log. */
export function decodeCancelEvent(log: RawLog | Log): ZeroExCancelEvent | undefined {
  const version = which(log, 'Cancel');
  if (!version) return undefined;
  const a = parse(log, version, 'Cancel').args;
  return {
    type: 'cancel',
    version,
    ...location(log),
    orderHash: (a.getValue('orderHash') as string).toLowerCase(),
    makerAddress: getAddress(a.getValue('makerAddress') as string),
    feeRecipientAddress: getAddress(a.getValue('feeRecipientAddress') as string),
    senderAddress: getAddress(a.getValue('senderAddress') as string),
    makerAssetData: (a.getValue('makerAssetData') as string).toLowerCase(),
    takerAssetData: (a.getValue('takerAssetData') as string).toLowerCase(),
  };
}

/** Decodes an Exchange `CancelUpTo` log; undefined for any other log. */
export function decodeCancelUpToEvent(log: RawLog | Log): ZeroExCancelUpToEvent | undefined {
  if (!which(log, 'CancelUpTo')) return undefined;
  const a = parse(log, 'v3', 'CancelUpTo').args;
  return {
    type: 'cancelUpTo',
    ...location(log),
    makerAddress: getAddress(a.getValue('makerAddress') as string),
    senderAddress: getAddress(a.getValue('orderSenderAddress') as string),
    orderEpoch: a.getValue('orderEpoch') as bigint,
  };
}

/** Every 0x event of a receipt, in log order (logs of other contracts are skipped). */
export function decodeExchangeEvents(
  receipt: Pick<TransactionReceipt, 'logs'>,
  exchangeAddress?: string,
): (ZeroExFillEvent | ZeroExCancelEvent | ZeroExCancelUpToEvent)[] {
  const out: (ZeroExFillEvent | ZeroExCancelEvent | ZeroExCancelUpToEvent)[] = [];
  for (const log of receipt.logs) {
    if (exchangeAddress && log.address.toLowerCase() !== exchangeAddress.toLowerCase()) continue;
    const e = decodeFillEvent(log) ?? decodeCancelEvent(log) ?? decodeCancelUpToEvent(log);
    if (e) out.push(e);
  }
  return out;
}
