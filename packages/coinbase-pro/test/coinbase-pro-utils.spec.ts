import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HbError, RateLimiter } from '@hb/core/connector';
import {
  COINBASE_PRO_COSTS,
  COINBASE_PRO_LEGACY_URLS,
  COINBASE_PRO_PATHS,
  COINBASE_PRO_RATE_LIMITS,
  COINBASE_PRO_SANDBOX_URLS,
  COINBASE_PRO_URLS,
} from '../src/coinbase-pro-constants.js';
import {
  asObject,
  buildSubscribeMessage,
  buildUnsubscribeMessage,
  isoToMs,
  COINBASE_PRO_CLIENT_ORDER_IDS,
  parseServerTime,
  quoteOf,
  readDecimal,
  splitProductId,
  toProductId,
  toTradingPair,
} from '../src/coinbase-pro-utils.js';

const FIXTURES = join(__dirname, 'fixtures');

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
}

describe('product ids', () => {
  it('are already BASE-QUOTE: validated, split on the dash', () => {
    expect(toTradingPair('BTC-USD')).toBe('BTC-USD');
    expect(toProductId('ETH-BTC')).toBe('ETH-BTC');
    expect(splitProductId('BTCAUCTION-USD')).toEqual({ base: 'BTCAUCTION', quote: 'USD' });
    expect(quoteOf('ETH-BTC')).toBe('BTC');
  });

  it('refuses ids that are not BASE-QUOTE', () => {
    expect(() => toTradingPair('BTCUSD')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
    expect(() => toTradingPair('A-B-C')).toThrow(HbError);
    expect(() => toProductId('BTCUSD')).toThrow(expect.objectContaining({ reason: 'invalid_order' }));
  });
});

describe('times', () => {
  it.each([
    ['2023-11-14T22:13:20.123456Z', 1700000000123],
    ['2023-11-14T22:13:20.504Z', 1700000000504],
    ['2023-11-14T22:13:20Z', 1700000000000],
    ['2023-11-14T22:13:20.5Z', 1700000000500],
    ['2023-11-14T23:13:20.999999+01:00', 1700000000999],
    ['2023-11-14T21:43:20.1-00:30', 1700000000100],
  ])('%s -> %d (ms, truncated)', (iso, ms) => {
    expect(isoToMs(iso)).toBe(ms);
  });

  it('refuses what is not ISO 8601', () => {
    expect(() => isoToMs('1700000000')).toThrow(/malformed time/);
    expect(() => isoToMs('2023-11-14 22:13:20Z')).toThrow(HbError);
  });

  it('GET /time -> server ms from epoch, iso as the fallback', () => {
    expect(parseServerTime(fixture('http_get_time.json'))).toBe(1700000000504);
    expect(parseServerTime({ iso: '2023-11-14T22:13:20.504Z' })).toBe(1700000000504);
    expect(() => parseServerTime({})).toThrow(/iso/);
  });
});

describe('wire readers', () => {
  it('narrow and refuse the wrong shapes with malformed_message', () => {
    expect(() => asObject([], 'x')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
    expect(readDecimal({ v: '0.0100000000000000' }, 'v', 'x')).toBe('0.0100000000000000');
    expect(() => readDecimal({ v: 0.01 }, 'v', 'x')).toThrow(/x.v/);
    expect(() => readDecimal({ v: '1e-2' }, 'v', 'x')).toThrow(/decimal/);
  });
});

describe('client_oid', () => {
  it('is a lowercase UUIDv4, checked before it is sent', () => {
    expect(COINBASE_PRO_CLIENT_ORDER_IDS.create('buy', 'BTC-USD')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(COINBASE_PRO_CLIENT_ORDER_IDS.check('3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b')).toBe(
      '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b',
    );
    expect(() => COINBASE_PRO_CLIENT_ORDER_IDS.check('hb-1')).toThrow(
      expect.objectContaining({ reason: 'invalid_order', retryable: false }),
    );
  });
});

describe('subscribe messages', () => {
  it('reproduce the §5 subscribe example (root products, a channel with its own list)', () => {
    expect(
      JSON.stringify(
        buildSubscribeMessage(
          ['BTC-USD', 'ETH-USD'],
          ['level2_batch', 'heartbeat', { name: 'matches', product_ids: ['BTC-USD'] }],
        ),
      ),
    ).toBe(
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channels":["level2_batch","heartbeat",{"name":"matches","product_ids":["BTC-USD"]}]}',
    );
  });

  it('unsubscribe with or without products', () => {
    expect(buildUnsubscribeMessage(['BTC-USD'], ['full'])).toEqual({
      type: 'unsubscribe',
      product_ids: ['BTC-USD'],
      channels: ['full'],
    });
    expect(buildUnsubscribeMessage(undefined, ['heartbeat'])).toEqual({
      type: 'unsubscribe',
      channels: ['heartbeat'],
    });
  });
});

describe('constants', () => {
  it('URLs per environment (§2)', () => {
    expect(COINBASE_PRO_URLS).toEqual({
      rest: 'https://api.exchange.coinbase.com',
      ws: 'wss://ws-feed.exchange.coinbase.com',
    });
    expect(COINBASE_PRO_SANDBOX_URLS.rest).toBe('https://api-public.sandbox.exchange.coinbase.com');
    expect(COINBASE_PRO_LEGACY_URLS).toEqual({
      rest: 'https://api.pro.coinbase.com',
      ws: 'wss://ws-feed.pro.coinbase.com',
    });
  });

  it('paths', () => {
    expect(COINBASE_PRO_PATHS.book('BTC-USD')).toBe('/products/BTC-USD/book');
    expect(COINBASE_PRO_PATHS.orderByClientOid('x')).toBe('/orders/client:x');
  });

  it('rate limits build a core RateLimiter that admits the documented burst, then waits', () => {
    expect(COINBASE_PRO_RATE_LIMITS.map((l) => [l.id, l.ratePerSecond, l.burst])).toEqual([
      ['PUBLIC', 10, 15],
      ['PRIVATE', 15, 30],
      ['FILLS', 10, 20],
    ]);
    const now = 1_000_000;
    const limiter = new RateLimiter(COINBASE_PRO_RATE_LIMITS, {
      clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined },
    });
    let admitted = 0;
    while (limiter.tryAcquire(COINBASE_PRO_COSTS.fills)) admitted++;
    expect(admitted).toBe(20);
    expect(limiter.tryAcquire(COINBASE_PRO_COSTS.private)).toBe(true);
  });
});

describe('fixtures/README.md', () => {
  it('lists every fixture file, and every listed file exists', () => {
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    const listed = new Set([...readme.matchAll(/^\| `([^`]+\.json)` +\|/gm)].map((m) => m[1]));
    const files = new Set(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')));
    expect([...files].filter((f) => !listed.has(f))).toEqual([]);
    expect([...listed].filter((f) => f !== undefined && !files.has(f))).toEqual([]);
  });
});
