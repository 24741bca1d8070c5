// Names and ids on the Binance wire: exchange symbol <-> `BASE-QUOTE` pair,
// stream names, client order ids, plus the small readers every parser uses to
// narrow `unknown` JSON into wire fields (one malformed-message error shape).
import { randomBytes } from 'node:crypto';
import {
  createWireReaders,
  HbError,
  isUnsignedDecimal,
  OrderRuleError,
  type OrderSide,
  type WireObject,
} from '@hb/core';
import {
  BINANCE_CLIENT_ORDER_ID_MAX_LENGTH,
  BINANCE_CLIENT_ORDER_ID_PATTERN,
  BINANCE_CLIENT_ORDER_ID_PREFIX,
  BINANCE_COMBINED_STREAM_PATH,
  BINANCE_EXCHANGE,
} from './binance-constants.js';

// ------------------------------------------------------------ wire reads ----

/** Core's JSON readers, bound to Binance so every parse error names the exchange. */
export const { malformed, asObject, asArray, readString, readNumber, readBoolean, readDecimal } =
  createWireReaders(BINANCE_EXCHANGE);
export { isUnsignedDecimal, type WireObject };

// --------------------------------------------------------------- symbols ----

/** Base and quote asset of one exchange symbol. */
export interface SymbolAssets {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
}

/**
 * Exchange symbol (`BTCUSDT`) <-> hb pair (`BTC-USDT`), built only from
 * exchangeInfo: concatenated symbols cannot be split reliably by string rules
 * (`BTCUSDT` vs `BTCUSD`+`T`), so the map is the only source.
 */
export class SymbolMap {
  private readonly bySymbol = new Map<string, SymbolAssets & { readonly pair: string }>();
  private readonly byPair = new Map<string, string>();

  constructor(entries: Iterable<SymbolAssets>) {
    for (const e of entries) {
      const pair = `${e.baseAsset}-${e.quoteAsset}`;
      this.bySymbol.set(e.symbol, { ...e, pair });
      this.byPair.set(pair, e.symbol);
    }
  }

  /** Builds the map from a raw `GET /api/v3/exchangeInfo` body (every symbol, whatever its status). */
  static fromExchangeInfo(raw: unknown): SymbolMap {
    const info = asObject(raw, 'exchangeInfo');
    const entries = asArray(info['symbols'], 'exchangeInfo.symbols').map((s) => {
      const o = asObject(s, 'exchangeInfo.symbols[]');
      return {
        symbol: readString(o, 'symbol', 'symbol'),
        baseAsset: readString(o, 'baseAsset', 'symbol'),
        quoteAsset: readString(o, 'quoteAsset', 'symbol'),
      };
    });
    return new SymbolMap(entries);
  }

  /** Number of symbols known. */
  get size(): number {
    return this.bySymbol.size;
  }

  /** Every hb pair, in exchangeInfo order. */
  pairs(): string[] {
    return [...this.byPair.keys()];
  }

  /** The hb pair of an exchange symbol, or undefined when unknown. */
  tryPair(symbol: string): string | undefined {
    return this.bySymbol.get(symbol)?.pair;
  }

  /** The exchange symbol of an hb pair, or undefined when unknown. */
  trySymbol(tradingPair: string): string | undefined {
    return this.byPair.get(tradingPair);
  }

  /** The hb pair of an exchange symbol; an unknown symbol means our map is stale. */
  toPair(symbol: string): string {
    const pair = this.tryPair(symbol);
    if (pair === undefined)
      throw new HbError('unknown', `${BINANCE_EXCHANGE}: unknown symbol ${symbol}`, {
        exchange: BINANCE_EXCHANGE,
      });
    return pair;
  }

  /** The exchange symbol of an hb pair; an unknown pair is the caller's mistake. */
  toSymbol(tradingPair: string): string {
    const symbol = this.trySymbol(tradingPair);
    if (symbol === undefined)
      throw new OrderRuleError('unknown_pair', `${BINANCE_EXCHANGE}: unknown trading pair ${tradingPair}`);
    return symbol;
  }

  /** Base and quote asset of an hb pair. */
  assetsOf(tradingPair: string): SymbolAssets {
    const entry = this.bySymbol.get(this.toSymbol(tradingPair));
    // toSymbol found it, so the entry exists.
    return entry as SymbolAssets;
  }
}

// --------------------------------------------------------------- streams ----

/** Diff-depth update speeds Binance offers. */
export type DepthSpeed = '100ms' | '1000ms';

/** `btcusdt@depth@100ms` (1000 ms is the unsuffixed stream). Stream names are lowercase. */
export function depthStreamName(symbol: string, speed: DepthSpeed = '100ms'): string {
  const base = `${symbol.toLowerCase()}@depth`;
  return speed === '100ms' ? `${base}@100ms` : base;
}

/** `btcusdt@trade`. */
export function tradeStreamName(symbol: string): string {
  return `${symbol.toLowerCase()}@trade`;
}

/** The uppercase exchange symbol a stream name is about (`btcusdt@trade` -> `BTCUSDT`). */
export function symbolOfStream(stream: string): string {
  const at = stream.indexOf('@');
  return (at < 0 ? stream : stream.slice(0, at)).toUpperCase();
}

/** Path (with query) of a combined-stream connection. */
export function combinedStreamPath(streams: readonly string[]): string {
  return `${BINANCE_COMBINED_STREAM_PATH}${streams.join('/')}`;
}

// ------------------------------------------------------ client order ids ----

/**
 * Checks that an id can be sent as `newClientOrderId` (≤36 chars of
 * `[A-Za-z0-9_-]`) and returns it unchanged: rewriting it silently would break
 * the lookup by client id that unknown outcomes depend on.
 */
export function toBinanceClientOrderId(clientOrderId: string): string {
  if (!BINANCE_CLIENT_ORDER_ID_PATTERN.test(clientOrderId)) {
    throw new HbError(
      'invalid_order',
      `${BINANCE_EXCHANGE}: client order id must be 1-${BINANCE_CLIENT_ORDER_ID_MAX_LENGTH} characters of [A-Za-z0-9_-]: ${JSON.stringify(clientOrderId.slice(0, 64))}`,
      { exchange: BINANCE_EXCHANGE, retryable: false },
    );
  }
  return clientOrderId;
}

/** Options of {@link newBinanceClientOrderId}, injectable so tests are deterministic. */
export interface ClientOrderIdOptions {
  readonly prefix?: string;
  /** Total length (default 32, as Hummingbot; at most 36). */
  readonly length?: number;
  readonly now?: () => number;
  readonly randomHex?: (chars: number) => string;
}

/**
 * A fresh client order id: prefix, `B`/`S`, the time in base 36 (ids sort by
 * creation), random hex to the requested length.
 */
export function newBinanceClientOrderId(side: OrderSide, options: ClientOrderIdOptions = {}): string {
  const prefix = options.prefix ?? BINANCE_CLIENT_ORDER_ID_PREFIX;
  const length = options.length ?? 32;
  const now = options.now ?? Date.now;
  const randomHex =
    options.randomHex ??
    ((n: number) =>
      randomBytes(Math.ceil(n / 2))
        .toString('hex')
        .slice(0, n));
  const head = `${prefix}${side === 'buy' ? 'B' : 'S'}${Math.floor(now()).toString(36)}`;
  const room = Math.min(length, BINANCE_CLIENT_ORDER_ID_MAX_LENGTH) - head.length;
  if (room < 4) throw new RangeError(`client order id prefix too long for length ${length}: ${prefix}`);
  return toBinanceClientOrderId(head + randomHex(room));
}
