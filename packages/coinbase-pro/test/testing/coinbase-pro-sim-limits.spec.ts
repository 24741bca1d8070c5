import { SimClock } from '@hb/testing';
import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, get, newCreds, signed } from './sim-helpers.js';

describe('CoinbaseProSimulator rate limits', () => {
  const alice: Creds = newCreds('alice');
  const bob: Creds = newCreds('bob');
  let sim: CoinbaseProSimulator;
  let clock: SimClock;

  beforeEach(async () => {
    // A manual clock: buckets refill only when the test advances time.
    clock = new SimClock({ startMs: Date.now() });
    sim = await CoinbaseProSimulator.start({
      clock,
      limits: { publicRate: 1, publicBurst: 3, privateRate: 2, privateBurst: 4, fillsRate: 1, fillsBurst: 2 },
      accounts: [alice, bob],
    });
  });
  afterEach(() => sim.stop());

  const ts = (): string => String(clock.now() / 1000);

  it('public: burst then 429 "Public rate limit exceeded", refilled at the rate', async () => {
    for (let i = 0; i < 3; i++) expect((await get(sim.restUrl, '/time')).status).toBe(200);
    expect(await get(sim.restUrl, '/products')).toMatchObject({
      status: 429,
      body: { message: 'Public rate limit exceeded' },
    });
    clock.advance(1000);
    expect((await get(sim.restUrl, '/time')).status).toBe(200);
    expect((await get(sim.restUrl, '/time')).status).toBe(429);
  });

  it('private: per key, 429 "Private rate limit exceeded"; /fills has its own bucket', async () => {
    for (let i = 0; i < 4; i++)
      expect(
        (await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, { timestamp: ts() })).status,
      ).toBe(200);
    expect(
      await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, { timestamp: ts() }),
    ).toMatchObject({
      status: 429,
      body: { message: 'Private rate limit exceeded' },
    });
    // Another profile is not affected, nor are public endpoints.
    expect((await signed(sim.restUrl, 'GET', '/accounts', bob, undefined, { timestamp: ts() })).status).toBe(
      200,
    );
    expect((await get(sim.restUrl, '/time')).status).toBe(200);
    // /fills: burst 2 on its own bucket.
    for (let i = 0; i < 2; i++) {
      expect(
        (await signed(sim.restUrl, 'GET', '/fills?product_id=BTC-USD', alice, undefined, { timestamp: ts() }))
          .status,
      ).toBe(200);
    }
    expect(
      (await signed(sim.restUrl, 'GET', '/fills?product_id=BTC-USD', alice, undefined, { timestamp: ts() }))
        .status,
    ).toBe(429);
    clock.advance(500);
    expect(
      (await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, { timestamp: ts() })).status,
    ).toBe(200);
  });

  it('rateLimits.set changes the limits at run time and rateLimits.reset refills', async () => {
    sim.rateLimits.set({ publicBurst: 1 });
    expect((await get(sim.restUrl, '/time')).status).toBe(200);
    expect((await get(sim.restUrl, '/time')).status).toBe(429);
    sim.rateLimits.reset();
    expect((await get(sim.restUrl, '/time')).status).toBe(200);
  });

  it('at most maxOpenOrdersPerProduct open orders per product', async () => {
    await sim.stop();
    sim = await CoinbaseProSimulator.start({
      limits: { maxOpenOrdersPerProduct: 2 },
      accounts: [{ ...alice, balances: { USD: '1000' } }],
    });
    const body = { product_id: 'BTC-USD', side: 'buy', type: 'limit', price: '100.00', size: '0.1' };
    expect((await signed(sim.restUrl, 'POST', '/orders', alice, body)).status).toBe(200);
    expect((await signed(sim.restUrl, 'POST', '/orders', alice, body)).status).toBe(200);
    expect(await signed(sim.restUrl, 'POST', '/orders', alice, body)).toMatchObject({
      status: 400,
      body: { message: 'Too many open orders' },
    });
  });
});
