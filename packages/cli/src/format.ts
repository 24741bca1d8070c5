// The exact NDJSON line shapes of the issue's contract, and the human renderings
// (tables, the live book view, event narration).
import type { Candle, MarketEvent, MyTrade, OrderBook, Ticker, TradeMessage } from '@hb/core';
import type { OpenOrder } from './contracts.js';
import { bareMessage, describeFailure } from './errors.js';
import { isBigNumberLike } from './output.js';

/**
 * `hb book --json`: `{"exchange","tradingPair","live","updateId","bids":[[price,amount],...],"asks":[...]}`,
 * best first. Every record names the pair `tradingPair` and an order's type
 * `orderType`, as core's values do (`type` is only ever an event's type). `live`
 * is false while the book is syncing or stale; then `status` says which and
 * `reason` why.
 */
export interface BookRecord {
  readonly exchange: string;
  readonly tradingPair: string;
  readonly live: boolean;
  readonly status?: string;
  readonly reason?: string;
  readonly updateId: number;
  readonly bids: [number, number][];
  readonly asks: [number, number][];
}

/** A book's live status as the CLI shows it (core's `LiveState`, by shape). */
export interface BookLiveView {
  readonly status: string;
  readonly reason?: string;
}

/** The shape of an order book the CLI reads (core's `OrderBook`). */
export type BookView = Pick<
  OrderBook,
  'lastUpdateId' | 'bidEntries' | 'askEntries' | 'bestBid' | 'bestAsk' | 'lastTradePrice'
>;

/** The book line: top `depth` levels per side, best first. */
export function bookRecord(
  exchange: string,
  pair: string,
  book: BookView,
  depth: number,
  state: BookLiveView = { status: 'live' },
): BookRecord {
  const live = state.status === 'live';
  return {
    exchange,
    tradingPair: pair,
    live,
    ...(live
      ? {}
      : { status: state.status, ...(state.reason === undefined ? {} : { reason: state.reason }) }),
    updateId: book.lastUpdateId,
    bids: [...book.bidEntries(depth)].map(([p, a]) => [p, a]),
    asks: [...book.askEntries(depth)].map(([p, a]) => [p, a]),
  };
}

/** `hb trades --json`: `{"exchange","tradingPair","tradeId","price","amount","side","timestamp"}`, side being the taker's. */
export interface TradeRecord {
  readonly exchange: string;
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly price: number;
  readonly amount: number;
  readonly side: 'buy' | 'sell';
  readonly timestamp: number;
}

/** The trade line. */
export function tradeRecord(exchange: string, trade: TradeMessage): TradeRecord {
  return {
    exchange,
    tradingPair: trade.tradingPair,
    tradeId: trade.tradeId,
    price: trade.price,
    amount: trade.amount,
    side: trade.side,
    timestamp: trade.timestamp,
  };
}

/**
 * `hb order --json`: one line per market event, the event's own fields plus
 * `exchange`; BigNumbers become numbers (by the NDJSON writer) and the error of an
 * `OrderFailure` becomes `{reason, rule?, code?, message}`.
 */
export function eventRecord(exchange: string, event: MarketEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { type: event.type, exchange };
  for (const [k, v] of Object.entries(event)) {
    if (k === 'type') continue;
    if (k === 'error' && typeof v === 'object' && v !== null) {
      const e = v as {
        reason?: unknown;
        rule?: unknown;
        exchangeCode?: unknown;
        message?: unknown;
        exchange?: string;
      };
      const error: Record<string, unknown> = { reason: e.reason };
      if (e.rule !== undefined) error['rule'] = e.rule;
      if (e.exchangeCode !== undefined) error['code'] = e.exchangeCode;
      error['message'] =
        typeof e.message === 'string'
          ? bareMessage(
              {
                message: e.message,
                exchange: e.exchange,
                exchangeCode: e.exchangeCode as string | number | undefined,
              },
              exchange,
            )
          : '';
      out['error'] = error;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** `hb balance --json`: one line per asset. */
export function balanceRecord(
  exchange: string,
  asset: string,
  b: { total: unknown; available: unknown },
): Record<string, unknown> {
  return { exchange, asset, total: b.total, available: b.available };
}

/** `hb orders --json`: one line per open order. */
export function openOrderRecord(exchange: string, o: OpenOrder): Record<string, unknown> {
  return {
    exchange,
    tradingPair: o.tradingPair,
    clientOrderId: o.clientOrderId ?? null,
    exchangeOrderId: o.exchangeOrderId,
    side: o.side,
    orderType: o.orderType,
    price: o.price,
    amount: o.amount,
    filled: o.filledAmount,
    state: o.state,
    timestamp: o.timestamp,
  };
}

/** `hb ticker --json`: the Ticker's fields plus `exchange` (decimals as numbers, missing sides null). */
export function tickerRecord(exchange: string, t: Ticker): Record<string, unknown> {
  return {
    exchange,
    tradingPair: t.tradingPair,
    lastPrice: t.lastPrice,
    bestBid: t.bestBid ?? null,
    bestAsk: t.bestAsk ?? null,
    open24h: t.open24h,
    high24h: t.high24h,
    low24h: t.low24h,
    volume24h: t.volume24h,
    quoteVolume24h: t.quoteVolume24h ?? null,
    timestamp: t.timestamp,
  };
}

/** `hb candles --json`: one line per candle. */
export function candleRecord(exchange: string, c: Candle): Record<string, unknown> {
  return {
    exchange,
    tradingPair: c.tradingPair,
    interval: c.interval,
    openTime: c.openTime,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  };
}

/** `hb my-trades --json`: one line per fill. */
export function myTradeRecord(exchange: string, t: MyTrade): Record<string, unknown> {
  return {
    exchange,
    tradingPair: t.tradingPair,
    tradeId: t.tradeId,
    exchangeOrderId: t.exchangeOrderId,
    clientOrderId: t.clientOrderId ?? null,
    side: t.side,
    price: t.price,
    amount: t.amount,
    quoteAmount: t.quoteAmount,
    fee: { amount: t.fee.amount, asset: t.fee.asset },
    isMaker: t.isMaker,
    timestamp: t.timestamp,
  };
}

// ------------------------------------------------------------------ human text

/** A decimal for people: BigNumbers in plain notation, numbers without float noise. */
export function fmtNum(v: unknown, maxDecimals = 8): string {
  if (isBigNumberLike(v)) return v.isFinite() ? v.toFixed() : '-';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '-';
    return trimZeros(v.toFixed(maxDecimals));
  }
  return String(v);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A left-aligned text table with a header row; numeric-looking cells align right. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+$|^-$/.test(r[i] ?? '')),
  );
  const fmtRow = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmtRow(headers), ...rows.map(fmtRow)];
}

/** What the live book view shows besides the levels. */
export interface BookViewStats {
  /** Update-id advance per second over the last seconds (the exchange's update rate). */
  readonly updatesPerSecond: number;
  /** Whether the book is in sync right now. */
  readonly inSync: boolean;
  /** `syncing` or `stale` (with why) when not live; shown in capitals. */
  readonly status?: BookLiveView;
}

const BAR_WIDTH = 24;

/**
 * The live book view: header (best bid/ask, spread, update rate), asks above bids,
 * each level with a bar of its cumulative depth.
 */
export function renderBook(
  exchange: string,
  pair: string,
  book: BookView,
  depth: number,
  stats: BookViewStats,
): string[] {
  const bids = [...book.bidEntries(depth)];
  const asks = [...book.askEntries(depth)];
  const cum = (levels: [number, number][]): number[] => {
    let s = 0;
    return levels.map(([, a]) => (s += a));
  };
  const bidCum = cum(bids);
  const askCum = cum(asks);
  const maxCum = Math.max(bidCum[bidCum.length - 1] ?? 0, askCum[askCum.length - 1] ?? 0, Number.MIN_VALUE);
  const priceW = Math.max(5, ...[...bids, ...asks].map(([p]) => fmtNum(p).length));
  const amountW = Math.max(6, ...[...bids, ...asks].map(([, a]) => fmtNum(a).length));
  const row = (side: 'ask' | 'bid', p: number, a: number, c: number): string => {
    const bar = '█'.repeat(Math.max(1, Math.round((c / maxCum) * BAR_WIDTH)));
    return `  ${side}  ${fmtNum(p).padStart(priceW)}  ${fmtNum(a).padStart(amountW)}  ${bar}`;
  };
  const spread = book.bestAsk - book.bestBid;
  const mid = (book.bestAsk + book.bestBid) / 2;
  const spreadText = Number.isFinite(spread)
    ? `${fmtNum(spread)} (${fmtNum((spread / mid) * 10_000, 2)} bps)`
    : '-';
  const lines = [
    `${exchange} ${pair}  bid ${fmtNum(book.bestBid)}  ask ${fmtNum(book.bestAsk)}  spread ${spreadText}`,
    `update ${book.lastUpdateId}  ${fmtNum(stats.updatesPerSecond, 1)} updates/s  last trade ${fmtNum(book.lastTradePrice)}${liveMark(stats)}`,
    `  side  ${'price'.padStart(priceW)}  ${'amount'.padStart(amountW)}  depth`,
  ];
  for (let i = asks.length - 1; i >= 0; i--) lines.push(row('ask', asks[i]![0], asks[i]![1], askCum[i]!));
  lines.push(`  ${'-'.repeat(6 + priceW + amountW + BAR_WIDTH)}`);
  for (let i = 0; i < bids.length; i++) lines.push(row('bid', bids[i]![0], bids[i]![1], bidCum[i]!));
  return lines;
}

/** One plain line about the book, for pipes (no in-place repaint there). */
/** The not-live mark of the book view: `STALE (why)`, `SYNCING`, or nothing when live. */
function liveMark(stats: BookViewStats): string {
  const s = stats.status;
  if (s === undefined) return stats.inSync ? '' : '  (re-syncing)';
  if (s.status === 'live') return '  LIVE';
  return `  ${s.status.toUpperCase()}${s.reason === undefined ? '' : ` (${s.reason})`}`;
}

/** The line printed the moment a book's live status changes. */
export function bookStatusLine(exchange: string, pair: string, state: BookLiveView): string {
  const why = state.status === 'live' || state.reason === undefined ? '' : `: ${state.reason}`;
  return `${exchange} ${pair} ${state.status.toUpperCase()}${why}`;
}

export function bookSummaryLine(exchange: string, pair: string, book: BookView): string {
  const spread = book.bestAsk - book.bestBid;
  return `${exchange} ${pair} update ${book.lastUpdateId}  bid ${fmtNum(book.bestBid)}  ask ${fmtNum(book.bestAsk)}  spread ${fmtNum(spread)}`;
}

/** One human line per trade. */
export function tradeLine(trade: TradeMessage): string {
  const t = new Date(trade.timestamp).toISOString().slice(11, 23);
  return `${t}  ${trade.side === 'buy' ? 'BUY ' : 'SELL'}  ${fmtNum(trade.amount)} @ ${fmtNum(trade.price)}  (${trade.tradeId})`;
}

/** One human sentence per market event. */
export function describeEvent(exchange: string, e: MarketEvent): string {
  const id = e.clientOrderId;
  switch (e.type) {
    case 'BuyOrderCreated':
    case 'SellOrderCreated': {
      const side = e.type === 'BuyOrderCreated' ? 'buy' : 'sell';
      const at = e.price.isFinite() ? ` @ ${e.price.toFixed()}` : '';
      return `${e.type}: ${e.orderType} ${side} ${e.amount.toFixed()} ${e.tradingPair}${at} accepted by ${exchange} (order ${id}, exchange id ${e.exchangeOrderId ?? '?'})`;
    }
    case 'OrderFilled':
      return `OrderFilled: ${e.side} ${e.amount.toFixed()} ${e.tradingPair} @ ${e.price.toFixed()} (${e.isMaker === true ? 'maker' : e.isMaker === false ? 'taker' : 'fill'}, fee ${feesText(e)}, trade ${e.tradeId}, order ${id})`;
    case 'BuyOrderCompleted':
    case 'SellOrderCompleted':
      return `${e.type}: order ${id} filled: ${e.executedBaseAmount.toFixed()} ${e.baseAsset} for ${e.executedQuoteAmount.toFixed()} ${e.quoteAsset}`;
    case 'OrderCancelled':
      return `OrderCancelled: order ${id} on ${e.tradingPair} is cancelled`;
    case 'OrderExpired':
      return `OrderExpired: order ${id} on ${e.tradingPair} expired`;
    case 'OrderFailure': {
      const err = e.error as unknown as {
        reason: string;
        rule?: string;
        exchangeCode?: string | number;
        message: string;
        exchange?: string;
      };
      const code = err.exchangeCode === undefined ? '' : `${String(err.exchangeCode)} `;
      return `OrderFailure: order ${id} on ${e.tradingPair}: ${describeFailure(err, {})}: ${code}${bareMessage(err, exchange)}`;
    }
  }
}

/**
 * A fill's fees in words: the one fee (`0.1 USDT`), or every fee with what it
 * paid for when there are several (on-chain venues: `0 DAI trading + 0.0003 ETH
 * protocol + 0.0001 ETH gas`).
 */
function feesText(e: {
  readonly fee: { readonly amount: { toFixed(): string }; readonly asset: string };
  readonly fees?: readonly {
    readonly amount: { toFixed(): string };
    readonly asset: string;
    readonly kind?: string;
  }[];
}): string {
  const all = e.fees ?? [];
  if (all.length <= 1) return `${e.fee.amount.toFixed()} ${e.fee.asset}`;
  return all.map((f) => `${f.amount.toFixed()} ${f.asset} ${f.kind ?? 'trading'}`).join(' + ');
}
