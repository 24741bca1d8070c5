import { BinanceSimulator } from '../../src/testing/index.js';
import { type Creds, get, obj, sign, signed } from './sim-helpers.js';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret' };

describe('BinanceSimulator faults', () => {
  let sim: BinanceSimulator;

  beforeEach(async () => {
    sim = await BinanceSimulator.start({
      depthMode: 'manual',
      accounts: [{ ...ALICE, balances: { USDT: '10000' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const order = (id: string) => ({
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: '25000.00',
    quantity: '0.001',
    newClientOrderId: id,
  });

  it('apply-but-fail: the order is placed, the client sees a 5xx, and a lookup by client id finds it', async () => {
    sim.failNextOrder({ apply: true, outcome: 503 });
    const r = await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, order('unknown-1'));
    expect(r.status).toBe(503);
    expect(obj(r.body)['code']).toBe(-1008);
    expect(sim.orderRequestCount(ALICE.apiKey)).toBe(1);

    const q = await signed(sim.restUrl, 'GET', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      origClientOrderId: 'unknown-1',
    });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ clientOrderId: 'unknown-1', status: 'NEW' });
    expect(sim.trueBook('BTC-USDT').bids).toEqual([[25000, 0.001]]);
  });

  it('reject-without-apply: a 5xx before the exchange places nothing', async () => {
    sim.failNextOrder({ outcome: 500 });
    const r = await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, order('lost-1'));
    expect(r.status).toBe(500);
    expect(obj(r.body)['code']).toBe(-1001);
    const q = await signed(sim.restUrl, 'GET', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      origClientOrderId: 'lost-1',
    });
    expect(obj(q.body)['code']).toBe(-2013);
    // The next one goes through.
    expect((await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, order('lost-1'))).status).toBe(200);
  });

  it('apply-but-timeout: the client never hears back, yet the order rests on the book', async () => {
    sim.failNextOrder({ apply: true, outcome: 'timeout' });
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 200);
    const ts = Date.now();
    const payload = new URLSearchParams({ ...order('slow-1'), timestamp: String(ts) }).toString();
    await expect(
      fetch(`${sim.restUrl}/api/v3/order?${payload}&signature=${sign(ALICE.apiSecret, payload)}`, {
        method: 'POST',
        headers: { 'X-MBX-APIKEY': ALICE.apiKey },
        signal: ac.signal,
      }),
    ).rejects.toThrow();
    clearTimeout(timer);
    expect(sim.orderByClientOrderId(ALICE.apiKey, 'slow-1')?.status).toBe('new');
  });

  it('clock skew: the server clock runs ahead, so an unsynced client gets -1021 until it re-syncs', async () => {
    sim.skewClock(10_000);
    const serverTime = obj((await get(sim.restUrl, '/api/v3/time')).body)['serverTime'] as number;
    expect(serverTime - Date.now()).toBeGreaterThan(9000);
    const r = await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, {});
    expect(obj(r.body)['code']).toBe(-1021);
    const synced = await signed(
      sim.restUrl,
      'GET',
      '/api/v3/openOrders',
      ALICE,
      {},
      { timestamp: serverTime + 50 },
    );
    expect(synced.status).toBe(200);
    sim.clearFaults();
    expect((await signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, {})).status).toBe(200);
  });
});
