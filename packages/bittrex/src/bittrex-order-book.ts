// Bittrex book data -> core book messages (bittrex.md §4, §5). The REST
// snapshot's sequence comes from its `Sequence` header; each `orderBook` delta
// carries absolute quantities per rate (0 removes the level, including a level
// pushed out of the subscribed depth) and a sequence that must grow by one,
// which is core's consecutive rule. Trades carry their id and `takerSide`.
import BigNumber from 'bignumber.js';
import type { BookLevel, DiffMessage, PublicTrade, SnapshotMessage, TradeMessage } from '@hb/core/connector';
import {
  asArray,
  asObject,
  malformed,
  parseSequence,
  readDirection,
  readNumber,
  readString,
  readTime,
  readUnsigned,
} from './bittrex-utils.js';

/** `[{quantity, rate}]` -> levels as numbers; every value checked first. */
function readLevels(value: unknown, what: string): BookLevel[] {
  return asArray(value, what).map((entry, i) => {
    const o = asObject(entry, `${what}[${i}]`);
    const price = Number(readUnsigned(o, 'rate', `${what}[${i}]`));
    const amount = Number(readUnsigned(o, 'quantity', `${what}[${i}]`));
    if (!Number.isFinite(price) || !Number.isFinite(amount) || price <= 0)
      throw malformed(`${what}[${i}] (out of range)`);
    return [price, amount] as const;
  });
}

/**
 * `GET /markets/{m}/orderbook?depth=` body plus its `Sequence` header -> a
 * snapshot at that sequence. Keys are singular `bid`/`ask`.
 */
export function parseOrderBookSnapshot(
  body: unknown,
  sequenceHeader: string | undefined,
  tradingPair: string,
  timestamp: number,
): SnapshotMessage {
  if (sequenceHeader === undefined) throw malformed('order book answer (no Sequence header)');
  const o = asObject(body, 'order book');
  return {
    type: 'snapshot',
    tradingPair,
    updateId: parseSequence(sequenceHeader, 'order book Sequence header'),
    timestamp,
    bids: readLevels(o['bid'], 'order book.bid'),
    asks: readLevels(o['ask'], 'order book.ask'),
  };
}

/** A decoded `orderBook` payload, with the market and depth it is keyed by. */
export interface BittrexBookDelta {
  readonly marketSymbol: string;
  readonly depth: number;
  readonly diff: DiffMessage;
}

/** A decoded `orderBook` payload -> a diff (tradingPair = marketSymbol on v3). */
export function parseOrderBookDelta(payload: unknown, receivedAt: number): BittrexBookDelta {
  const o = asObject(payload, 'orderBook delta');
  const marketSymbol = readString(o, 'marketSymbol', 'orderBook delta');
  const depth = readNumber(o, 'depth', 'orderBook delta');
  return {
    marketSymbol,
    depth,
    diff: {
      type: 'diff',
      tradingPair: marketSymbol,
      updateId: parseSequence(o['sequence'], 'orderBook delta.sequence'),
      // Deltas carry no time of their own.
      timestamp: receivedAt,
      bids: readLevels(o['bidDeltas'], 'orderBook delta.bidDeltas'),
      asks: readLevels(o['askDeltas'], 'orderBook delta.askDeltas'),
    },
  };
}

/**
 * One trade object, as the REST `/trades` rows and the `trade` deltas both send
 * it: its id, exact rate and quantity (both positive), the aggressor's side and
 * the time it executed.
 */
function readTrade(value: unknown, tradingPair: string, what: string): PublicTrade {
  const o = asObject(value, what);
  const price = new BigNumber(readUnsigned(o, 'rate', what));
  const amount = new BigNumber(readUnsigned(o, 'quantity', what));
  if (!price.gt(0) || !amount.gt(0)) throw malformed(`${what} (non-positive rate or quantity)`);
  return {
    tradingPair,
    tradeId: readString(o, 'id', what),
    price,
    amount,
    // The aggressor's side, from the exchange's own field (never assumed).
    side: readDirection(o, 'takerSide', what),
    timestamp: readTime(o, 'executedAt', what),
  };
}

/** One trade of a `trade` delta -> a book trade message (numbers, as the book keeps them) at the delta's sequence. */
function parseTradeRow(value: unknown, tradingPair: string, what: string, sequence?: number): TradeMessage {
  const trade = readTrade(value, tradingPair, what);
  return {
    type: 'trade',
    ...trade,
    price: trade.price.toNumber(),
    amount: trade.amount.toNumber(),
    ...(sequence === undefined ? {} : { updateId: sequence }),
  };
}

/** A decoded `trade` payload -> its trades, in the order sent. */
export function parseTradeDelta(payload: unknown): { marketSymbol: string; trades: TradeMessage[] } {
  const o = asObject(payload, 'trade delta');
  const marketSymbol = readString(o, 'marketSymbol', 'trade delta');
  const sequence = parseSequence(o['sequence'], 'trade delta.sequence');
  const trades = asArray(o['deltas'], 'trade delta.deltas').map((t, i) =>
    parseTradeRow(t, marketSymbol, `trade delta.deltas[${i}]`, sequence),
  );
  return { marketSymbol, trades };
}

/**
 * `GET /markets/{m}/trades` -> public trades with exact decimals, oldest first
 * (Bittrex sends the newest first; the order of trades executed in the same
 * instant is kept).
 */
export function parseRecentTrades(body: unknown, tradingPair: string): PublicTrade[] {
  const trades = asArray(body, 'trades').map((t, i) => readTrade(t, tradingPair, `trades[${i}]`));
  return trades.reverse().sort((a, b) => a.timestamp - b.timestamp);
}
