import {
  HuobiSymbolMap,
  huobiTimestamp,
  isHuobiClientOrderId,
  parseHuobiTimestamp,
  toHuobiSymbol,
} from '../src/huobi-utils.js';

describe('utils', () => {
  it('symbols map both ways from the reference data, not by guessing', () => {
    const map = new HuobiSymbolMap();
    map.learn([
      { symbol: 'btcusdt', base: 'btc', quote: 'usdt' },
      { symbol: 'husdusdt', base: 'husd', quote: 'usdt' },
    ]);
    expect(map.toTradingPair('husdusdt')).toBe('HUSD-USDT');
    expect(map.toSymbol('BTC-USDT')).toBe('btcusdt');
    expect(map.tryTradingPair('nope')).toBeUndefined();
    expect(() => map.toTradingPair('nope')).toThrow(/unknown symbol/);
    expect(toHuobiSymbol('ETH-BTC')).toBe('ethbtc');
    expect(() => toHuobiSymbol('ETHBTC')).toThrow(/BASE-QUOTE/);
  });

  it('Signature V2 timestamps: UTC seconds, no Z, round trip', () => {
    expect(huobiTimestamp(1_700_000_000_999)).toBe('2023-11-14T22:13:20');
    expect(parseHuobiTimestamp('2023-11-14T22:13:20')).toBe(1_700_000_000_000);
    expect(parseHuobiTimestamp('2023-11-14T22:13:20Z')).toBeUndefined();
  });

  it('client order ids: at most 64 of letters, digits, _ and -', () => {
    expect(isHuobiClientOrderId('hbB_mabc-0001')).toBe(true);
    expect(isHuobiClientOrderId('a'.repeat(65))).toBe(false);
    expect(isHuobiClientOrderId('has space')).toBe(false);
  });
});
