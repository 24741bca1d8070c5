// Small Huobi rules: the Signature V2 timestamp format and the client-order-id
// policy. Symbols (`btcusdt` <-> `BTC-USDT`) come from the reference data through
// core's SymbolMap (huobi-trading-rules.ts): Huobi symbols have no delimiter, so
// splitting a string would guess.
import { prefixedClientOrderIds, type ClientOrderIdPolicy } from '@hb/core/connector';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

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
export const HUOBI_CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when Huobi accepts `id` as a `client-order-id`. */
export function isHuobiClientOrderId(id: string): boolean {
  return HUOBI_CLIENT_ORDER_ID_PATTERN.test(id);
}

/** Our client order ids: `hb`-prefixed, within Huobi's limit. */
export const HUOBI_CLIENT_ORDER_IDS: ClientOrderIdPolicy = prefixedClientOrderIds({
  exchange: HUOBI_EXCHANGE,
  pattern: HUOBI_CLIENT_ORDER_ID_PATTERN,
  describe: '1-64 characters of [A-Za-z0-9_-]',
});
