// The wire parsers against the documented payloads (test/fixtures, radar-relay.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HbError } from '@hb/core';
import { ZeroExError } from '@hb/zero-ex';
import { classifyRadarRelayError, typedRadarError } from '../src/radar-relay-errors.js';
import { parseRadarOrder, radarRelayOrderState } from '../src/radar-relay-order-parsers.js';
import { parseBookEvent, parseBookSnapshot } from '../src/radar-relay-order-book.js';
import { parseMarkets, parseTokens, tradingRuleOf } from '../src/radar-relay-trading-rules.js';
import { parseRadarDate, toBaseUnits } from '../src/radar-relay-utils.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;

const ZRX = '0xe41d2489571d322189246dafa5ebde1f4699f498';
const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const NOW = 1_579_000_000;

describe('tokens and markets', () => {
  it('reads tokens with 0/1 booleans and markets into trading rules', () => {
    const { tokens, skipped } = parseTokens(fixture('http_get_tokens.json'));
    expect(skipped).toEqual([]);
    expect(tokens.get(ZRX)).toEqual({ address: ZRX, symbol: 'ZRX', decimals: 18 });
    const { markets } = parseMarkets(fixture('http_get_markets.json'), tokens);
    expect(markets).toHaveLength(1);
    const rule = tradingRuleOf(markets[0]!);
    expect(rule.tradingPair).toBe('ZRX-WETH');
    expect(rule.minOrderSize.toFixed()).toBe('0.04568281');
    expect(rule.maxOrderSize.toFixed()).toBe('1000000000');
    expect(rule.minPriceIncrement.toFixed()).toBe('0.00000001');
    expect(rule.minBaseAmountIncrement.toFixed()).toBe('0.000000000000000001');
    expect(rule.tradingEnabled).toBe(true);
    expect(markets[0]!.base).toEqual({ address: ZRX, symbol: 'ZRX', decimals: 18 });
    expect(markets[0]!.quote.address).toBe(WETH);
  });

  it('reports every unreadable market with its id and why, and keeps the rest', () => {
    const good = (fixture('http_get_markets.json') as object[])[0]!;
    const raw = [
      good,
      { ...good, id: 'NOPAIR' },
      { ...good, id: 'A-B', baseTokenDecimals: 'x' },
      { ...good, id: 'C-D', minOrderSize: '-1' },
      { ...good, id: 'E-F', minOrderSize: '5', maxOrderSize: '1' },
    ];
    const { markets, skipped } = parseMarkets(raw);
    expect(markets.map((m) => m.id)).toEqual(['ZRX-WETH']);
    expect(skipped.map((s) => s.symbol)).toEqual(['NOPAIR', 'A-B', 'C-D', 'E-F']);
    for (const s of skipped) expect(s.error.reason).toBe('malformed_message');
  });

  it('refuses a market whose decimals disagree with the token list', () => {
    const { tokens } = parseTokens(fixture('http_get_tokens.json'));
    const good = (fixture('http_get_markets.json') as object[])[0]!;
    const { skipped } = parseMarkets([{ ...good, baseTokenDecimals: 6 }], tokens);
    expect(skipped[0]!.error.message).toMatch(/decimals 6 differ/);
  });

  it('keeps an inactive market with trading off', () => {
    const good = (fixture('http_get_markets.json') as object[])[0]!;
    const { markets } = parseMarkets([{ ...good, active: 0 }]);
    expect(tradingRuleOf(markets[0]!).tradingEnabled).toBe(false);
  });
});

describe('orders and the book', () => {
  it('reads the REST book as an order snapshot by hash', () => {
    const { message, orders } = parseBookSnapshot(
      fixture('http_get_market_book.json'),
      'ZRX-WETH',
      1,
      0,
      NOW,
    );
    expect(message.type).toBe('order_snapshot');
    expect(message.bids).toEqual([
      {
        orderId: '0x5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1c',
        price: 0.00099,
        amount: 500,
      },
    ]);
    expect(message.asks[0]!.amount).toBe(100);
    expect(orders).toHaveLength(2);
  });

  it('leaves expired and non-open orders out of a snapshot', () => {
    const book = fixture('http_get_market_book.json') as { bids: object[]; asks: object[] };
    const expired = { ...book.asks[0]!, signedOrder: { expirationTimeSeconds: String(NOW - 1) } };
    const filled = { ...book.bids[0]!, state: 'FILLED' };
    const { message } = parseBookSnapshot(
      { ...book, bids: [filled], asks: [expired] },
      'ZRX-WETH',
      1,
      0,
      NOW,
    );
    expect(message.bids).toEqual([]);
    expect(message.asks).toEqual([]);
  });

  it('refuses an order on the wrong side of the book', () => {
    const book = fixture('http_get_market_book.json') as { bids: object[]; asks: object[] };
    expect(() => parseBookSnapshot({ ...book, bids: book.asks }, 'ZRX-WETH', 1, 0, NOW)).toThrow(
      /wrong side/,
    );
  });

  it('turns FILL into the resting order remaining amount (from event.order, not the taker side)', () => {
    const e = parseBookEvent(fixture('ws_book_fill.json'), NOW);
    expect(e.action).toBe('FILL');
    expect(e.changes).toEqual([
      {
        op: 'change',
        orderId: '0x5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1ce5a1c',
        amount: 490,
      },
    ]);
    expect(e.timestamp).toBe(1579000100 * 1000);
  });

  it('removes on FILL with state FILLED, on CANCEL and on REMOVE (by hash; they carry no price)', () => {
    const fill = fixture('ws_book_fill.json') as { event: { order: Record<string, unknown> } };
    const done = { ...fill, event: { ...fill.event, order: { ...fill.event.order, state: 'FILLED' } } };
    expect(parseBookEvent(done, NOW).changes[0]!.op).toBe('remove');
    expect(parseBookEvent(fixture('ws_book_cancel.json'), NOW).changes).toEqual([
      { op: 'remove', orderId: '0x1afa129ece9dd46564dedd8a2d945a309d4691bffb5f9ee5fcc4c86088a316e5' },
    ]);
    expect(parseBookEvent(fixture('ws_book_remove.json'), NOW).changes[0]!.op).toBe('remove');
  });

  it('refuses hostile events with a typed malformed_message', () => {
    const fill = fixture('ws_book_fill.json') as {
      event: Record<string, unknown> & { order: Record<string, unknown> };
    };
    const cases: unknown[] = [
      { action: 'BOGUS', event: fill.event },
      { ...fill, event: { ...fill.event, order: { ...fill.event.order, remainingBaseTokenAmount: '-1' } } },
      { ...fill, event: { ...fill.event, order: { ...fill.event.order, remainingBaseTokenAmount: 'NaN' } } },
      { ...fill, event: { ...fill.event, orderHash: '0x12' } },
      { ...fill, event: { ...fill.event, baseTokenAddress: 7 } },
      {
        action: 'NEW',
        event: {
          baseTokenAddress: ZRX,
          quoteTokenAddress: WETH,
          order: { orderHash: '0x' + '1'.repeat(64), type: 'BID', price: '0', remainingBaseTokenAmount: '1' },
        },
      },
    ];
    for (const c of cases) {
      try {
        parseBookEvent(c, NOW);
        throw new Error(`accepted ${JSON.stringify(c).slice(0, 80)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(HbError);
        expect((e as HbError).reason).toBe('malformed_message');
      }
    }
  });

  it('maps relayer states, both spellings of cancelled', () => {
    const book = fixture('http_get_market_book.json') as { bids: object[] };
    expect(parseRadarOrder({ ...book.bids[0]!, state: 'CANCELED' }).state).toBe('CANCELLED');
    expect(radarRelayOrderState('OPEN', true)).toBe('PARTIALLY_FILLED');
    expect(radarRelayOrderState('UNFUNDED', false)).toBe('FAILED');
    expect(radarRelayOrderState('EXPIRED', false)).toBe('EXPIRED');
  });
});

describe('errors', () => {
  const refusal = (reason: string, code = 1004, status = 400) =>
    classifyRadarRelayError(status, {
      code: 100,
      reason: 'Validation failed',
      validationErrors: [{ field: 'makerAssetAmount', code, reason }],
    });

  it('classifies the relayer refusals and types the 0x ones', () => {
    const unfunded = refusal('Insufficient maker balance');
    expect(unfunded.reason).toBe('insufficient_funds');
    expect(typedRadarError(unfunded)).toMatchObject({ kind: 'unfunded', party: 'maker' });
    expect(typedRadarError(refusal('Insufficient maker allowance'))).toMatchObject({
      kind: 'allowance_missing',
    });
    expect(typedRadarError(refusal('Order expired'))).toMatchObject({ kind: 'order_expired' });
    expect(typedRadarError(refusal('Order already filled'))).toMatchObject({ kind: 'order_filled' });
    expect(typedRadarError(refusal('Invalid signature', 1005))).not.toBeInstanceOf(ZeroExError);
    expect(refusal('Invalid signature', 1005).reason).toBe('invalid_order');
    expect(classifyRadarRelayError(429, { code: 103, reason: 'Throttled' }).reason).toBe('rate_limit');
    expect(classifyRadarRelayError(404, { code: 404, reason: 'Not found' }).reason).toBe('order_not_found');
    // A 5xx is an unknown outcome whatever the body says.
    expect(classifyRadarRelayError(502, { code: 100, reason: 'Insufficient maker balance' }).reason).toBe(
      'unavailable',
    );
  });
});

describe('units and dates', () => {
  it('converts amounts exactly and reads both createdDate shapes', () => {
    expect(toBaseUnits('0.1', 18)).toBe(100000000000000000n);
    expect(toBaseUnits('1.23456789', 2)).toBe(123n);
    expect(parseRadarDate('2020-01-14 10:00:00')).toBe(Date.UTC(2020, 0, 14, 10));
    expect(parseRadarDate(1579000000)).toBe(1579000000000);
    expect(parseRadarDate('garbage')).toBeUndefined();
  });
});
