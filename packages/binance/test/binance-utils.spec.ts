import { fixtureReader } from '@hb/testing';
import { HbError, OrderRuleError } from '@hb/core/connector';
import { BINANCE_RATE_LIMITS, depthWeight } from '../src/binance-constants.js';
import {
  combinedStreamPath,
  depthStreamName,
  BINANCE_CLIENT_ORDER_IDS,
  SymbolMap,
  symbolMapFromExchangeInfo,
  symbolOfStream,
  tradeStreamName,
} from '../src/binance-utils.js';

const fixture = fixtureReader(__dirname);

describe('SymbolMap', () => {
  const map = new SymbolMap('binance', [
    { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT' },
    // Prefix-ambiguous symbols: only exchangeInfo can tell where they split.
    { symbol: 'BTCUSD', baseAsset: 'BTC', quoteAsset: 'USD' },
    { symbol: 'TUSDT', baseAsset: 'TUSD', quoteAsset: 'T' },
  ]);

  it('maps both ways from exchangeInfo, never by splitting strings', () => {
    expect(map.toPair('BTCUSDT')).toBe('BTC-USDT');
    expect(map.toPair('TUSDT')).toBe('TUSD-T');
    expect(map.toSymbol('BTC-USD')).toBe('BTCUSD');
    expect(map.pairs()).toEqual(['BTC-USDT', 'BTC-USD', 'TUSD-T']);
    expect(map.assetsOf('BTC-USDT')).toEqual({
      symbol: 'BTCUSDT',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      pair: 'BTC-USDT',
    });
    expect(map.size).toBe(3);
  });

  it('builds from the exchangeInfo fixture', () => {
    const fromInfo = symbolMapFromExchangeInfo(fixture('http_get_exchangeInfo.json'));
    expect(fromInfo.pairs()).toEqual(['BTC-USDT']);
    expect(fromInfo.toSymbol('BTC-USDT')).toBe('BTCUSDT');
  });

  it('says when a name is unknown', () => {
    expect(map.tryPair('ETHBTC')).toBeUndefined();
    expect(map.trySymbol('ETH-BTC')).toBeUndefined();
    expect(() => map.toSymbol('ETH-BTC')).toThrow(OrderRuleError);
    expect(() => map.toPair('ETHBTC')).toThrow(HbError);
  });

  it('reports a symbol it cannot read, and why, instead of dropping it', () => {
    const partial = symbolMapFromExchangeInfo({
      symbols: [{ symbol: 'BTCUSDT' }, { symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC' }],
    });
    expect(partial.pairs()).toEqual(['ETH-BTC']);
    expect(partial.skipped).toEqual([
      { symbol: 'BTCUSDT', error: expect.objectContaining({ message: expect.stringMatching(/baseAsset/) }) },
    ]);
  });

  it('rejects a body that is not exchangeInfo', () => {
    expect(() => symbolMapFromExchangeInfo({ symbol: [] })).toThrow(/symbols/);
  });
});

describe('stream names', () => {
  it('are lowercase symbols with the channel', () => {
    expect(depthStreamName('BTCUSDT')).toBe('btcusdt@depth@100ms');
    expect(depthStreamName('BTCUSDT', '1000ms')).toBe('btcusdt@depth');
    expect(tradeStreamName('ETHBTC')).toBe('ethbtc@trade');
    expect(symbolOfStream('btcusdt@depth@100ms')).toBe('BTCUSDT');
    expect(combinedStreamPath(['btcusdt@depth@100ms', 'btcusdt@trade'])).toBe(
      '/stream?streams=btcusdt@depth@100ms/btcusdt@trade',
    );
  });
});

describe('client order ids', () => {
  it('accepts up to 36 chars of [A-Za-z0-9_-], x- prefix included', () => {
    for (const id of ['hb-test-0001', 'x-MG43PCSNB1a2b3c4d5e6f7a8b9c0d1e2f3', 'A', '_-_', 'a'.repeat(36)]) {
      expect(BINANCE_CLIENT_ORDER_IDS.check(id)).toBe(id);
    }
  });

  it.each(['', 'a'.repeat(37), 'has space', 'dot.ted', 'slash/ed', 'ünï', 'colon:'])('rejects %j', (id) => {
    expect(() => BINANCE_CLIENT_ORDER_IDS.check(id)).toThrow(
      expect.objectContaining({ reason: 'invalid_order' }),
    );
  });

  it('makes ids Binance accepts: hb, side, base-36 time, random hex, 32 chars', () => {
    const id = BINANCE_CLIENT_ORDER_IDS.create('buy', 'BTC-USDT');
    expect(id).toMatch(/^hbB[0-9a-z]{8}[0-9a-f]{21}$/);
    expect(BINANCE_CLIENT_ORDER_IDS.create('sell', 'BTC-USDT')).not.toBe(id);
  });
});

describe('constants', () => {
  it.each([
    [1, 5],
    [100, 5],
    [101, 25],
    [500, 25],
    [501, 50],
    [1000, 50],
    [1001, 250],
    [5000, 250],
  ])('depth limit %i weighs %i', (limit, weight) => {
    expect(depthWeight(limit)).toBe(weight);
  });

  it('refuses depth limits the server would refuse', () => {
    expect(() => depthWeight(0)).toThrow(RangeError);
    expect(() => depthWeight(5001)).toThrow(RangeError);
    expect(depthWeight()).toBe(5);
  });

  it('matches the documented limits of the exchangeInfo fixture', () => {
    const info = fixture('http_get_exchangeInfo.json') as {
      rateLimits: { rateLimitType: string; limit: number }[];
    };
    expect(BINANCE_RATE_LIMITS.map((l) => [l.rateLimitType, l.limit])).toEqual(
      info.rateLimits.map((l) => [l.rateLimitType, l.limit]),
    );
  });
});
