import { HbError } from '@hb/core';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

/** One listed symbol: the exchange's name and its two currencies (huobi.md §3). */
export interface HuobiSymbolInfo {
  /** `btcusdt`. */
  readonly symbol: string;
  /** `btc`. */
  readonly base: string;
  /** `usdt`. */
  readonly quote: string;
}

/**
 * `btcusdt` <-> `BTC-USDT`, learned from the reference data: Huobi symbols have
 * no delimiter, so splitting a string would guess wrong (`btcusdt` vs a coin
 * ending in `usd`). Pairs not yet learned fall back to the lower-cased
 * concatenation, which is how Huobi builds every symbol.
 */
export class HuobiSymbolMap {
  private readonly toPair = new Map<string, string>();
  private readonly toSymbolMap = new Map<string, string>();

  /** Records the symbols of a reference-data answer. */
  learn(symbols: readonly HuobiSymbolInfo[]): void {
    for (const s of symbols) {
      const pair = `${s.base.toUpperCase()}-${s.quote.toUpperCase()}`;
      this.toPair.set(s.symbol, pair);
      this.toSymbolMap.set(pair, s.symbol);
    }
  }

  /** Whether any symbol was learned. */
  get size(): number {
    return this.toPair.size;
  }

  /** `BTC-USDT` -> `btcusdt`. */
  toSymbol(tradingPair: string): string {
    return this.toSymbolMap.get(tradingPair) ?? toHuobiSymbol(tradingPair);
  }

  /** `btcusdt` -> `BTC-USDT`; throws `malformed_message` for a symbol never listed. */
  toTradingPair(symbol: string): string {
    const pair = this.toPair.get(symbol);
    if (pair === undefined)
      throw new HbError('malformed_message', `${HUOBI_EXCHANGE}: unknown symbol ${symbol}`, {
        exchange: HUOBI_EXCHANGE,
        retryable: false,
      });
    return pair;
  }

  /** Like {@link toTradingPair} but undefined for an unknown symbol. */
  tryTradingPair(symbol: string): string | undefined {
    return this.toPair.get(symbol);
  }
}

/** `BTC-USDT` -> `btcusdt`: Huobi's own construction (lower-case base then quote). */
export function toHuobiSymbol(tradingPair: string): string {
  const [base, quote, extra] = tradingPair.split('-');
  if (!base || !quote || extra !== undefined)
    throw new HbError('invalid_order', `${HUOBI_EXCHANGE}: ${tradingPair} is not a BASE-QUOTE pair`, {
      exchange: HUOBI_EXCHANGE,
      retryable: false,
    });
  return `${base}${quote}`.toLowerCase();
}

/**
 * Signature V2's `Timestamp`: UTC `YYYY-MM-DDThh:mm:ss`, no milliseconds and no
 * `Z` (huobi.md §6).
 */
export function huobiTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Parses a Signature V2 timestamp back to ms (undefined when it is not one). */
export function parseHuobiTimestamp(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s)) return undefined;
  const ms = Date.parse(`${s}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What `client-order-id` allows: at most 64 letters, digits, `_` or `-` (huobi.md §7). */
const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True when Huobi accepts `id` as a `client-order-id`. */
export function isHuobiClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID.test(id);
}
