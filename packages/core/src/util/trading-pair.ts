import { HbError } from '../errors/hb-error.js';

/** A `BASE-QUOTE` pair split into its assets. */
export interface TradingPairParts {
  readonly base: string;
  readonly quote: string;
}

/**
 * Splits hb's canonical `BASE-QUOTE` pair. Connectors map exchange symbols to this
 * form from the exchange's own symbol list (never by guessing where `BTCUSDT`
 * splits), so here the dash is always present exactly once.
 */
export function splitTradingPair(tradingPair: string): TradingPairParts {
  const i = tradingPair.indexOf('-');
  if (i <= 0 || i === tradingPair.length - 1 || tradingPair.indexOf('-', i + 1) !== -1) {
    throw new HbError('invalid_order', `trading pair "${tradingPair}" is not of the form BASE-QUOTE`, {
      retryable: false,
    });
  }
  return { base: tradingPair.slice(0, i), quote: tradingPair.slice(i + 1) };
}
