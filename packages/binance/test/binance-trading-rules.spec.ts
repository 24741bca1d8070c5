import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainDecimals } from '@hb/testing';
import { describeDecoding, describeTradingRuleList } from '@hb/testing/suites';
import { parseMarketLotSize, parseTradingRule, parseTradingRules } from '../src/binance-trading-rules.js';

type Json = Record<string, unknown>;

function exchangeInfo(): Json & { symbols: Json[] } {
  return JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'http_get_exchangeInfo.json'), 'utf8'),
  ) as Json & { symbols: Json[] };
}

function btcusdt(): Json & { filters: Json[] } {
  return exchangeInfo().symbols[0] as Json & { filters: Json[] };
}

/** The symbol with some filters replaced (by filterType) or removed (undefined). */
function withFilters(changes: Record<string, Json | undefined>): Json {
  const s = btcusdt();
  const kept = s.filters.filter((f) => !(String(f['filterType']) in changes));
  const added = Object.values(changes).filter((f): f is Json => f !== undefined);
  return { ...s, filters: [...kept, ...added] };
}

// The documented symbol and the rule it gives: test/expected/trading-rules.json.
describeDecoding(__dirname, 'trading-rules', {
  'the documented BTCUSDT symbol (NOTIONAL filter)': () => parseTradingRule(btcusdt()),
});

describe('parseTradingRule', () => {
  it('reads the legacy MIN_NOTIONAL filter with applyToMarket', () => {
    const s = withFilters({
      NOTIONAL: undefined,
      MIN_NOTIONAL: {
        filterType: 'MIN_NOTIONAL',
        minNotional: '0.00010000',
        applyToMarket: false,
        avgPriceMins: 5,
      },
    });
    const rule = parseTradingRule(s);
    expect([rule.minNotional.toFixed(), rule.minNotionalAppliesToMarket]).toEqual(['0.0001', false]);
  });

  it('prefers NOTIONAL when both notional filters are present', () => {
    const s = withFilters({
      MIN_NOTIONAL: {
        filterType: 'MIN_NOTIONAL',
        minNotional: '1.00000000',
        applyToMarket: false,
        avgPriceMins: 5,
      },
    });
    expect(parseTradingRule(s).minNotional.toFixed()).toBe('5');
  });

  it('has no min notional when neither filter is present', () => {
    const rule = parseTradingRule(withFilters({ NOTIONAL: undefined }));
    expect([rule.minNotional.toFixed(), rule.minNotionalAppliesToMarket]).toEqual(['0', false]);
  });

  it('treats 0 in PRICE_FILTER and LOT_SIZE as disabled: no tick, no minimum, no maximum', () => {
    const rule = parseTradingRule(
      withFilters({
        PRICE_FILTER: {
          filterType: 'PRICE_FILTER',
          minPrice: '0.00000000',
          maxPrice: '0.00000000',
          tickSize: '0.00000000',
        },
        LOT_SIZE: {
          filterType: 'LOT_SIZE',
          minQty: '0.00000000',
          maxQty: '0.00000000',
          stepSize: '0.00000000',
        },
      }),
    );
    expect(plainDecimals(rule)).toMatchObject({
      minPriceIncrement: '0',
      minPrice: '0',
      maxPrice: 'Infinity',
      minOrderSize: '0',
      maxOrderSize: 'Infinity',
      minBaseAmountIncrement: '0',
    });
  });

  it('falls back to MARKET_LOT_SIZE when LOT_SIZE is absent', () => {
    const rule = parseTradingRule(
      withFilters({
        LOT_SIZE: undefined,
        MARKET_LOT_SIZE: {
          filterType: 'MARKET_LOT_SIZE',
          minQty: '0.00100000',
          maxQty: '120.00000000',
          stepSize: '0.00100000',
        },
      }),
    );
    expect(plainDecimals(rule)).toMatchObject({
      minOrderSize: '0.001',
      maxOrderSize: '120',
      minBaseAmountIncrement: '0.001',
    });
  });

  it.each([
    ['HALT', true, false],
    ['BREAK', true, false],
    ['CANCEL_ONLY', true, false],
    ['END_OF_DAY', true, false],
    ['TRADING', false, false],
    ['TRADING', true, true],
  ])('status %s with isSpotTradingAllowed=%s -> tradingEnabled %s', (status, spot, enabled) => {
    expect(parseTradingRule({ ...btcusdt(), status, isSpotTradingAllowed: spot }).tradingEnabled).toBe(
      enabled,
    );
  });

  it('keeps only the order types hb places', () => {
    const rule = parseTradingRule({ ...btcusdt(), orderTypes: ['LIMIT', 'STOP_LOSS_LIMIT'] });
    expect([...rule.supportedOrderTypes]).toEqual(['limit']);
  });

  it('rejects a known filter with a field of the wrong type', () => {
    expect(() =>
      parseTradingRule(
        withFilters({
          PRICE_FILTER: { filterType: 'PRICE_FILTER', minPrice: 0.01, maxPrice: '1', tickSize: '0.01' },
        }),
      ),
    ).toThrow(/PRICE_FILTER\.minPrice/);
  });

  it('ignores filter types it does not interpret', () => {
    const s = withFilters({
      PERCENT_PRICE_BY_SIDE: { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5' },
      FUTURE_FILTER: { filterType: 'FUTURE_FILTER' },
    });
    expect(plainDecimals(parseTradingRule(s))).toEqual(plainDecimals(parseTradingRule(btcusdt())));
  });
});

describe('parseMarketLotSize', () => {
  it('uses MARKET_LOT_SIZE where it is set and LOT_SIZE where it says 0', () => {
    const m = parseMarketLotSize(btcusdt());
    expect([m.minQty.toFixed(), m.maxQty.toFixed(), m.stepSize.toFixed()]).toEqual([
      '0.00001',
      '120',
      '0.00001',
    ]);
  });
});

describeTradingRuleList('binance', {
  parse: parseTradingRules,
  body: exchangeInfo(),
  pairs: ['BTC-USDT'],
  // BADBAD's filters are not a list.
  withUnreadableEntry: {
    body: {
      ...exchangeInfo(),
      symbols: [
        ...exchangeInfo().symbols,
        { ...btcusdt(), symbol: 'BADBAD', baseAsset: 'BAD', filters: 'nope' },
      ],
    },
    symbol: 'BADBAD',
  },
  notTheList: { body: [], error: /exchangeInfo/ },
});
