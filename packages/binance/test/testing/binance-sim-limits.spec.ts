import { SimClock } from '@hb/testing';
import { BinanceSimulator } from '../../src/testing/index.js';
import { type Creds, get, obj, placeLimit } from './sim-helpers.js';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret' };

describe('BinanceSimulator rate limits', () => {
  let sim: BinanceSimulator;
  let clock: SimClock;

  beforeEach(async () => {
    // A manual clock at the start of a minute: windows only move when the test says.
    clock = new SimClock({ startMs: 1_700_000_040_000 });
    sim = await BinanceSimulator.start({
      clock,
      depthMode: 'manual',
      limits: { requestWeightPerMinute: 30, ordersPer10s: 2, banMs: 5000 },
      accounts: [{ ...ALICE, balances: { USDT: '100000' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('reports the used weight on every answer, per endpoint weight', async () => {
    const a = await get(sim.restUrl, '/api/v3/ping');
    expect(a.headers.get('x-mbx-used-weight-1m')).toBe('1');
    const b = await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: '100' });
    expect(b.headers.get('x-mbx-used-weight-1m')).toBe('6');
    const c = await get(sim.restUrl, '/api/v3/exchangeInfo', { symbol: 'NOPE' });
    expect(c.status).toBe(400);
    expect(c.headers.get('x-mbx-used-weight-1m')).toBe('26');
  });

  it('answers 429 -1003 with Retry-After over the limit, then 418 when the client keeps going, until the ban ends', async () => {
    await get(sim.restUrl, '/api/v3/exchangeInfo'); // 20
    const over = await get(sim.restUrl, '/api/v3/trades', { symbol: 'BTCUSDT' }); // 45 > 30
    expect(over.status).toBe(429);
    expect(obj(over.body)['code']).toBe(-1003);
    expect(Number(over.headers.get('retry-after'))).toBe(60);

    const ignored = await get(sim.restUrl, '/api/v3/ping');
    expect(ignored.status).toBe(418);
    expect(obj(ignored.body)['code']).toBe(-1003);
    expect(ignored.headers.get('retry-after')).toBe('5');

    clock.advance(60_000);
    expect((await get(sim.restUrl, '/api/v3/ping')).status).toBe(200);
  });

  it('a 429 respected until the window ends is not a ban', async () => {
    await get(sim.restUrl, '/api/v3/exchangeInfo');
    expect((await get(sim.restUrl, '/api/v3/exchangeInfo')).status).toBe(429);
    clock.advance(60_000);
    const after = await get(sim.restUrl, '/api/v3/ping');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-mbx-used-weight-1m')).toBe('1');
  });

  it('counts orders per account (X-MBX-ORDER-COUNT-*) and answers 429 -1015 over the ORDERS limit', async () => {
    sim.rateLimits.set({ requestWeightPerMinute: 6000 });
    const place = (id: string) =>
      placeLimit(
        sim.restUrl,
        ALICE,
        { side: 'BUY', price: '20000', quantity: '0.001', newClientOrderId: id },
        { timestamp: clock.now() },
      );
    const first = await place('o1');
    expect(first.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(first.headers.get('x-mbx-order-count-1d')).toBe('1');
    expect((await place('o2')).headers.get('x-mbx-order-count-10s')).toBe('2');
    const third = await place('o3');
    expect(third.status).toBe(429);
    expect(obj(third.body)['code']).toBe(-1015);
    expect(third.headers.get('retry-after')).not.toBeNull();
    clock.advance(10_000);
    const later = await place('o4');
    expect(later.status).toBe(200);
    expect(later.headers.get('x-mbx-order-count-1d')).toBe('3');
  });

  it('injects 429s for the next N requests on demand, without applying them', async () => {
    sim.rateLimitNext(2, { retryAfterSec: 3 });
    const a = await get(sim.restUrl, '/api/v3/ping');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(obj(a.body)['code']).toBe(-1003);
    expect((await get(sim.restUrl, '/api/v3/ping')).status).toBe(429);
    expect((await get(sim.restUrl, '/api/v3/ping')).status).toBe(200);
  });
});
