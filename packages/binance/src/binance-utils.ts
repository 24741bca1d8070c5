// Names and ids on the Binance wire: exchange symbol <-> `BASE-QUOTE` pair,
// stream names, client order ids, plus the small readers every parser uses to
// narrow `unknown` JSON into wire fields (one malformed-message error shape).
import {
  createWireReaders,
  prefixedClientOrderIds,
  SymbolMap,
  type ClientOrderIdPolicy,
} from '@hb/core/connector';
import {
  BINANCE_CLIENT_ORDER_ID_MAX_LENGTH,
  BINANCE_CLIENT_ORDER_ID_PATTERN,
  BINANCE_COMBINED_STREAM_PATH,
  BINANCE_EXCHANGE,
} from './binance-constants.js';

// ------------------------------------------------------------ wire reads ----

/** Core's JSON readers, bound to Binance so every parse error names the exchange. */
export const {
  malformed,
  asObject,
  asArray,
  readString,
  readNumber,
  readBoolean,
  readDecimal,
  readPositiveDecimal,
  readSequence,
  checkRange,
  readBookSnapshot,
} = createWireReaders(BINANCE_EXCHANGE);

// --------------------------------------------------------------- symbols ----

export { SymbolMap };

/**
 * The symbol map of a raw `GET /api/v3/exchangeInfo` body (every symbol,
 * whatever its status). A symbol entry without its assets is skipped and
 * reported in the map's `skipped`; a body that is not exchangeInfo throws.
 */
export function symbolMapFromExchangeInfo(raw: unknown): SymbolMap {
  const info = asObject(raw, 'exchangeInfo');
  return SymbolMap.load(BINANCE_EXCHANGE, asArray(info['symbols'], 'exchangeInfo.symbols'), 'symbol', (s) => {
    const o = asObject(s, 'exchangeInfo.symbols[]');
    return {
      symbol: readString(o, 'symbol', 'symbol'),
      baseAsset: readString(o, 'baseAsset', 'symbol'),
      quoteAsset: readString(o, 'quoteAsset', 'symbol'),
    };
  });
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
 * Binance's client-order-id policy: `newClientOrderId` takes at most 36 of
 * `[A-Za-z0-9_-]`; an id outside that is refused before anything is sent,
 * never rewritten (the lookup by client id after an unknown outcome needs it).
 */
export const BINANCE_CLIENT_ORDER_IDS: ClientOrderIdPolicy = prefixedClientOrderIds({
  exchange: BINANCE_EXCHANGE,
  pattern: BINANCE_CLIENT_ORDER_ID_PATTERN,
  describe: `1-${BINANCE_CLIENT_ORDER_ID_MAX_LENGTH} characters of [A-Za-z0-9_-]`,
});
