// The exchange's market list -> core TradingRule per pair. An unreadable entry
// is skipped and reported (symbol and reason), never dropped silently.
import {
  loadSymbolList,
  notImplemented,
  type TradingRule,
  type TradingRulesResult,
} from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';
import { asArray } from './radar-relay-utils.js';

/** One market entry -> its rule. */
export function parseTradingRule(_raw: unknown): TradingRule {
  throw notImplemented(RADAR_RELAY_EXCHANGE, 'trading rules (src/radar-relay-trading-rules.ts)');
}

/** The market list -> rules and skipped symbols. */
export function parseTradingRules(raw: unknown): TradingRulesResult {
  const { items, skipped } = loadSymbolList(asArray(raw, 'markets'), 'symbol', parseTradingRule);
  return { rules: items, skipped };
}
