// Radar's Feed API token and market lists -> the connector's market table and
// core TradingRules. An unreadable market is skipped and reported (its id and
// why), never dropped silently; an inactive one keeps its rule with trading off.
import BigNumber from 'bignumber.js';
import { loadSymbolList, type SkippedSymbol, type TradingRule } from '@hb/core/connector';
import { asArray, asObject, isAddress, malformed, readDecimal, readString } from './radar-relay-utils.js';

/** One ERC-20 token as Radar lists it. */
export interface RadarToken {
  /** Lower-case address. */
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
}

/** One Radar market with both tokens resolved. */
export interface RadarMarket {
  /** Radar's id, `BASE-QUOTE` (`ZRX-WETH`), also the hb pair. */
  readonly id: string;
  readonly base: RadarToken;
  readonly quote: RadarToken;
  /** Maximum decimal places of a price. */
  readonly quoteIncrement: number;
  readonly minOrderSize: BigNumber;
  readonly maxOrderSize: BigNumber;
  readonly active: boolean;
}

/** What the Feed API lists. */
export interface RadarMarketList {
  readonly markets: readonly RadarMarket[];
  readonly skipped: readonly SkippedSymbol[];
}

/** Radar sent booleans as `true`/`false` or as `1`/`0` (§3). */
function readLooseBoolean(o: Readonly<Record<string, unknown>>, key: string, what: string): boolean {
  const v = o[key];
  if (v === true || v === 1 || v === '1') return true;
  if (v === false || v === 0 || v === '0') return false;
  throw malformed(`${what}.${key} (not a boolean or 0/1)`);
}

function readDecimals(o: Readonly<Record<string, unknown>>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 36)
    throw malformed(`${what}.${key} (not a token decimals count 0-36)`);
  return v;
}

function readAddress(o: Readonly<Record<string, unknown>>, key: string, what: string): string {
  const v = readString(o, key, what);
  if (!isAddress(v)) throw malformed(`${what}.${key} (not a 20-byte hex address)`);
  return v.toLowerCase();
}

/** GET /tokens -> tokens by lower-case address (an unreadable token is skipped and reported). */
export function parseTokens(raw: unknown): { tokens: Map<string, RadarToken>; skipped: SkippedSymbol[] } {
  const { items, skipped } = loadSymbolList(asArray(raw, 'tokens'), 'symbol', (entry) => {
    const o = asObject(entry, 'token');
    return {
      address: readAddress(o, 'address', 'token'),
      symbol: readString(o, 'symbol', 'token'),
      decimals: readDecimals(o, 'decimals', 'token'),
    };
  });
  return { tokens: new Map(items.map((t) => [t.address, t])), skipped };
}

const MARKET_ID = /^([A-Za-z0-9]+)-([A-Za-z0-9]+)$/;

/** One `GET /markets?include=base` entry -> a market (tokens from the token list when it has them). */
export function parseMarket(entry: unknown, tokens: ReadonlyMap<string, RadarToken>): RadarMarket {
  const o = asObject(entry, 'market');
  const id = readString(o, 'id', 'market');
  const m = MARKET_ID.exec(id);
  if (m === null) throw malformed(`market.id ${JSON.stringify(id)} (not BASE-QUOTE)`);
  const baseAddress = readAddress(o, 'baseTokenAddress', 'market');
  const quoteAddress = readAddress(o, 'quoteTokenAddress', 'market');
  const baseDecimals = readDecimals(o, 'baseTokenDecimals', 'market');
  const quoteDecimals = readDecimals(o, 'quoteTokenDecimals', 'market');
  const quoteIncrement = o['quoteIncrement'];
  if (
    typeof quoteIncrement !== 'number' ||
    !Number.isInteger(quoteIncrement) ||
    quoteIncrement < 0 ||
    quoteIncrement > 36
  )
    throw malformed('market.quoteIncrement (not a count of decimal places)');
  const minOrderSize = new BigNumber(readDecimal(o, 'minOrderSize', 'market'));
  const maxOrderSize = new BigNumber(readDecimal(o, 'maxOrderSize', 'market'));
  if (maxOrderSize.lt(minOrderSize)) throw malformed('market.maxOrderSize (below minOrderSize)');
  // The token list is the authority on decimals; a market that disagrees with it is not trusted.
  for (const [address, decimals, what] of [
    [baseAddress, baseDecimals, 'base'],
    [quoteAddress, quoteDecimals, 'quote'],
  ] as const) {
    const t = tokens.get(address);
    if (t !== undefined && t.decimals !== decimals)
      throw malformed(
        `market ${id}: ${what} token decimals ${decimals} differ from the token list's ${t.decimals}`,
      );
  }
  return {
    id,
    base: { address: baseAddress, symbol: m[1]!, decimals: baseDecimals },
    quote: { address: quoteAddress, symbol: m[2]!, decimals: quoteDecimals },
    quoteIncrement,
    minOrderSize,
    maxOrderSize,
    active: o['active'] === undefined ? true : readLooseBoolean(o, 'active', 'market'),
  };
}

/** The market list -> markets and the skipped entries. */
export function parseMarkets(
  raw: unknown,
  tokens: ReadonlyMap<string, RadarToken> = new Map(),
): RadarMarketList {
  const { items, skipped } = loadSymbolList(asArray(raw, 'markets'), 'id', (e) => parseMarket(e, tokens));
  return { markets: items, skipped };
}

/** A market's trading rule: price places from `quoteIncrement`, sizes from the market, steps from token decimals. */
export function tradingRuleOf(market: RadarMarket): TradingRule {
  return {
    tradingPair: market.id,
    minOrderSize: market.minOrderSize,
    maxOrderSize: market.maxOrderSize.gt(0) ? market.maxOrderSize : new BigNumber(Infinity),
    minPriceIncrement: new BigNumber(1).shiftedBy(-market.quoteIncrement),
    minBaseAmountIncrement: new BigNumber(1).shiftedBy(-market.base.decimals),
    minQuoteAmountIncrement: new BigNumber(1).shiftedBy(-market.quote.decimals),
    minPrice: new BigNumber(0),
    maxPrice: new BigNumber(Infinity),
    minNotional: new BigNumber(0),
    minNotionalAppliesToMarket: false,
    supportedOrderTypes: new Set(['limit', 'market']),
    tradingEnabled: market.active,
  };
}
