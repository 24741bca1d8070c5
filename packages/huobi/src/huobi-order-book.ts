// Raw Huobi market frames (after gunzip) -> core's book messages (huobi.md §4, §5).
// MBP increments carry `seqNum` / `prevSeqNum`: they become diffs whose
// `updateId`/`prevUpdateId` core's previous-id rule checks; a `req` refresh
// becomes a snapshot at its `seqNum`. Trades take the taker side from
// `direction` and their id from `tradeId` (`trade-id` over REST): the legacy
// `id` can exceed 2^53 and is ignored.
import {
  WIRE_MAX_INTEGER_DIGITS,
  createWireReaders,
  type BookLevel,
  type DiffMessage,
  type SnapshotMessage,
  type TradeMessage,
  type WireObject,
} from '@hb/core/connector';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** One decoded market-socket frame, by kind. */
export type HuobiMarketFrame =
  | { readonly kind: 'ping'; readonly ts: number }
  | { readonly kind: 'subbed'; readonly id: string | undefined; readonly topic: string }
  | { readonly kind: 'unsubbed'; readonly id: string | undefined; readonly topic: string }
  | { readonly kind: 'rep'; readonly id: string | undefined; readonly topic: string; readonly data: unknown }
  | {
      readonly kind: 'error';
      readonly id: string | undefined;
      readonly code: string;
      readonly message: string;
    }
  | { readonly kind: 'push'; readonly topic: string; readonly ts: number; readonly tick: unknown };

function optionalId(o: WireObject): string | undefined {
  const id = o['id'];
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
}

/** Classifies one market frame (JSON already parsed). */
export function parseHuobiMarketFrame(json: unknown): HuobiMarketFrame {
  const o = wire.asObject(json, 'market frame');
  if (typeof o['ping'] === 'number') return { kind: 'ping', ts: o['ping'] };
  if (o['status'] === 'error') {
    return {
      kind: 'error',
      id: optionalId(o),
      code: typeof o['err-code'] === 'string' ? o['err-code'] : 'unknown',
      message: typeof o['err-msg'] === 'string' ? o['err-msg'] : '',
    };
  }
  if (typeof o['subbed'] === 'string') return { kind: 'subbed', id: optionalId(o), topic: o['subbed'] };
  if (typeof o['unsubbed'] === 'string') return { kind: 'unsubbed', id: optionalId(o), topic: o['unsubbed'] };
  if (typeof o['rep'] === 'string')
    return { kind: 'rep', id: optionalId(o), topic: o['rep'], data: o['data'] };
  if (typeof o['ch'] === 'string') {
    return { kind: 'push', topic: o['ch'], ts: wire.readNumber(o, 'ts', 'market push'), tick: o['tick'] };
  }
  throw wire.malformed('market frame (no ping, ch, rep, subbed or status)');
}

/**
 * Huobi's book and trade values are JSON numbers: finite and below 10^15 (the
 * wire bound core's decimal readers use), so a 1e300 "price" is refused like a
 * 401-digit one rather than entering the book.
 */
const WIRE_NUMBER_LIMIT = 10 ** WIRE_MAX_INTEGER_DIGITS;

/** `[[price, size], ...]` with JSON numbers; a side that is absent reads as empty. */
function readLevels(o: WireObject, key: string, what: string): BookLevel[] {
  const raw = o[key];
  if (raw === undefined || raw === null) return [];
  const rows = wire.asArray(raw, `${what}.${key}`);
  const out: BookLevel[] = new Array<BookLevel>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length < 2) throw wire.malformed(`${what}.${key}[${i}]`);
    const price = row[0] as unknown;
    const size = row[1] as unknown;
    if (typeof price !== 'number' || !(price > 0 && price < WIRE_NUMBER_LIMIT))
      throw wire.malformed(`${what}.${key}[${i}] price`);
    if (typeof size !== 'number' || !(size >= 0 && size < WIRE_NUMBER_LIMIT))
      throw wire.malformed(`${what}.${key}[${i}] size`);
    out[i] = [price, size];
  }
  return out;
}

function readSeq(o: WireObject, key: string, what: string): number {
  const n = wire.readNumber(o, key, what);
  if (!Number.isSafeInteger(n) || n < 0) throw wire.malformed(`${what}.${key} (not a sequence number)`);
  return n;
}

/** One `market.$symbol.mbp.$levels` push: a diff linked to its predecessor by `prevSeqNum`. */
export function parseMbpIncrement(tick: unknown, tradingPair: string, ts: number): DiffMessage {
  const t = wire.asObject(tick, 'mbp tick');
  const updateId = readSeq(t, 'seqNum', 'mbp tick');
  const prevUpdateId = readSeq(t, 'prevSeqNum', 'mbp tick');
  // An increment follows its predecessor: a prevSeqNum at or above seqNum is an inverted range.
  if (!(prevUpdateId < updateId))
    throw wire.malformed(`mbp tick (prevSeqNum ${prevUpdateId} not below seqNum ${updateId})`);
  return {
    type: 'diff',
    tradingPair,
    updateId,
    prevUpdateId,
    timestamp: ts,
    bids: readLevels(t, 'bids', 'mbp tick'),
    asks: readLevels(t, 'asks', 'mbp tick'),
  };
}

/** The `data` of a `req` refresh: the full book at `seqNum`. */
export function parseMbpRefresh(data: unknown, tradingPair: string, receivedAt: number): SnapshotMessage {
  const d = wire.asObject(data, 'mbp refresh');
  return {
    type: 'snapshot',
    tradingPair,
    updateId: readSeq(d, 'seqNum', 'mbp refresh'),
    timestamp: receivedAt,
    bids: readLevels(d, 'bids', 'mbp refresh'),
    asks: readLevels(d, 'asks', 'mbp refresh'),
  };
}

/** `GET /market/depth` (the whole envelope): a snapshot at `tick.version` (not aligned with MBP seqNum). */
export function parseRestDepth(body: unknown, tradingPair: string): SnapshotMessage {
  const o = wire.asObject(body, 'depth answer');
  const tick = wire.asObject(o['tick'], 'depth answer.tick');
  return {
    type: 'snapshot',
    tradingPair,
    updateId: readSeq(tick, 'version', 'depth tick'),
    timestamp: wire.readNumber(tick, 'ts', 'depth tick'),
    bids: readLevels(tick, 'bids', 'depth tick'),
    asks: readLevels(tick, 'asks', 'depth tick'),
  };
}

/** One trade row: WebSocket rows say `tradeId`, REST rows `trade-id`. */
function parseTradeRow(raw: unknown, tradingPair: string): TradeMessage {
  const r = wire.asObject(raw, 'trade');
  const idRaw = r['tradeId'] ?? r['trade-id'];
  if (typeof idRaw !== 'number' || !Number.isSafeInteger(idRaw)) throw wire.malformed('trade.tradeId');
  const price = wire.readNumber(r, 'price', 'trade');
  const amount = wire.readNumber(r, 'amount', 'trade');
  if (!(price > 0 && price < WIRE_NUMBER_LIMIT) || !(amount > 0 && amount < WIRE_NUMBER_LIMIT))
    throw wire.malformed('trade price or amount (not positive, or out of range)');
  return {
    type: 'trade',
    tradingPair,
    tradeId: String(idRaw),
    price,
    amount,
    // `direction` is the taker's side.
    side: wire.readSide(r, 'direction', 'trade'),
    timestamp: wire.readNumber(r, 'ts', 'trade'),
  };
}

/** A `market.$symbol.trade.detail` tick: its trades in order. */
export function parseTradeDetail(tick: unknown, tradingPair: string): TradeMessage[] {
  const t = wire.asObject(tick, 'trade tick');
  return wire.asArray(t['data'], 'trade tick.data').map((row) => parseTradeRow(row, tradingPair));
}

/** `GET /market/history/trade` (the whole envelope): every trade, oldest first. */
export function parseHistoryTrades(body: unknown, tradingPair: string): TradeMessage[] {
  const o = wire.asObject(body, 'history trade answer');
  const groups = wire.asArray(o['data'], 'history trade answer.data');
  const out: TradeMessage[] = [];
  for (const g of groups) {
    const group = wire.asObject(g, 'trade group');
    for (const row of wire.asArray(group['data'], 'trade group.data'))
      out.push(parseTradeRow(row, tradingPair));
  }
  // The exchange lists newest first.
  return out.sort((a, b) => a.timestamp - b.timestamp || Number(a.tradeId) - Number(b.tradeId));
}
