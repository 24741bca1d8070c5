// Exchange symbols <-> hb pairs, and the loading of per-symbol lists
// (markets, trading rules) that keeps going past an unreadable entry but says
// which one and why, instead of dropping it.
import { HbError, OrderRuleError, isHbError } from '../errors/hb-error.js';
import type { TradingRulesResult } from '../market/market-base.js';
import type { TradingRule } from '../market/trading-rule.js';

/** Base and quote asset of one exchange symbol. */
export interface SymbolAssets {
  /** The exchange's own name of the market (`BTCUSDT`, `btcusdt`, `BTC-USD`). */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
}

/** An entry of an exchange list that could not be read, and why. */
export interface SkippedSymbol {
  /** The exchange symbol, or the entry's text when it had none. */
  readonly symbol: string;
  /** What was wrong with it (a `malformed_message` error naming the field). */
  readonly error: HbError;
}

/** What loading a per-symbol list produced. */
export interface SymbolListResult<T> {
  /** The entries that were read. */
  readonly items: T[];
  /** The entries that were not, each with its reason. */
  readonly skipped: SkippedSymbol[];
}

/**
 * Reads every entry of an exchange list with `read`. An entry that throws an
 * `HbError` is reported in `skipped` with its symbol (from `symbolKey`) and the
 * error; any other throw is a bug and propagates.
 */
export function loadSymbolList<T>(
  entries: readonly unknown[],
  symbolKey: string,
  read: (entry: unknown) => T,
): SymbolListResult<T> {
  const items: T[] = [];
  const skipped: SkippedSymbol[] = [];
  for (const entry of entries) {
    try {
      items.push(read(entry));
    } catch (e) {
      if (!isHbError(e)) throw e;
      skipped.push({ symbol: symbolOfEntry(entry, symbolKey), error: e });
    }
  }
  return { items, skipped };
}

/**
 * An exchange's market list -> trading rules, every entry it could not read
 * skipped and reported with its symbol (see {@link loadSymbolList}): what a
 * connector's `fetchTradingRules` returns.
 */
export function loadTradingRules(
  entries: readonly unknown[],
  symbolKey: string,
  read: (entry: unknown) => TradingRule,
): TradingRulesResult {
  const { items, skipped } = loadSymbolList(entries, symbolKey, read);
  return { rules: items, skipped };
}

function symbolOfEntry(entry: unknown, key: string): string {
  if (typeof entry === 'object' && entry !== null) {
    const v = (entry as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return JSON.stringify(entry).slice(0, 60);
  }
  return String(entry).slice(0, 60);
}

/**
 * Exchange symbol <-> hb pair (`BASE-QUOTE`), built from the exchange's own
 * list of markets: concatenated symbols cannot be split reliably by string
 * rules (`BTCUSDT` is not `BTCUSD`+`T`), so the map is the only source.
 */
export class SymbolMap {
  private readonly bySymbol = new Map<string, SymbolAssets & { readonly pair: string }>();
  private readonly byPair = new Map<string, string>();
  /** Entries of the list that could not be read (empty when built from assets directly). */
  readonly skipped: readonly SkippedSymbol[];

  constructor(
    private readonly exchange: string,
    entries: Iterable<SymbolAssets>,
    skipped: readonly SkippedSymbol[] = [],
  ) {
    for (const e of entries) {
      const pair = `${e.baseAsset}-${e.quoteAsset}`;
      this.bySymbol.set(e.symbol, { ...e, pair });
      this.byPair.set(pair, e.symbol);
    }
    this.skipped = skipped;
  }

  /** A map from an exchange list, reporting the entries it skipped (see {@link loadSymbolList}). */
  static load(
    exchange: string,
    entries: readonly unknown[],
    symbolKey: string,
    read: (entry: unknown) => SymbolAssets,
  ): SymbolMap {
    const { items, skipped } = loadSymbolList(entries, symbolKey, read);
    return new SymbolMap(exchange, items, skipped);
  }

  /** Number of symbols known. */
  get size(): number {
    return this.bySymbol.size;
  }

  /** Every hb pair, in the exchange's order. */
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
      throw new HbError('unknown', `${this.exchange}: unknown symbol ${symbol}`, { exchange: this.exchange });
    return pair;
  }

  /** The exchange symbol of an hb pair; an unknown pair is the caller's mistake. */
  toSymbol(tradingPair: string): string {
    const symbol = this.trySymbol(tradingPair);
    if (symbol === undefined)
      throw new OrderRuleError('unknown_pair', `${this.exchange}: unknown trading pair ${tradingPair}`);
    return symbol;
  }

  /** Base and quote asset of an hb pair. */
  assetsOf(tradingPair: string): SymbolAssets {
    const entry = this.bySymbol.get(this.toSymbol(tradingPair));
    // toSymbol found it, so the entry exists.
    return entry as SymbolAssets;
  }
}
