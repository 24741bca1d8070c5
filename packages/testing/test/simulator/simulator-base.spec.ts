import { afterEach, describe, expect, it, jest } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { SimClock } from '../../src/clock/sim-clock.js';
import { SIM_TAKER_ACCOUNT } from '../../src/simulator/simulator-base.js';
import { sandboxOf } from '../../src/simulator/simulator-sandbox.js';
import { httpCall, RecordingClient } from '../helpers/clients.js';
import { TOY_DEMO, ToySimulator } from '../helpers/toy-simulator.js';

let sims: ToySimulator[] = [];

async function toy(options: Parameters<typeof ToySimulator.start>[0] = {}): Promise<ToySimulator> {
  const sim = await ToySimulator.start(options);
  sims.push(sim);
  return sim;
}

function placeOrder(sim: ToySimulator, key: string, body: object): ReturnType<typeof httpCall> {
  return httpCall(`${sim.restUrl}/order`, {
    method: 'POST',
    headers: { 'x-toy-key': key },
    body: JSON.stringify(body),
  });
}

afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
  jest.useRealTimers();
});

describe('SimulatorBase lifecycle and accounts', () => {
  it('listens on loopback, and stop() runs the hook once however often it is called', async () => {
    const sim = await toy();
    expect(sim.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpCall(`${sim.restUrl}/nothing`)).status).toBe(404);
    await sim.stop();
    await sim.stop();
    expect(sim.stoppedHooks).toBe(1);
    await expect(httpCall(`${sim.restUrl}/nothing`)).rejects.toThrow();
  });

  it('creates the demo account over its defaults, then the listed accounts, funded with their fees', async () => {
    const sim = await toy({
      demoAccount: { balances: { USD: '5' } },
      accounts: [
        {
          apiKey: 'other',
          apiSecret: 's',
          balances: { BTC: '2', USD: '0' },
          fees: { maker: '0.002', taker: '0.003' },
        },
      ],
    });
    // Secrets are readable by name but never printed or copied by spread.
    expect(sim.demoAccount?.apiSecret).toBe(TOY_DEMO.apiSecret);
    expect(JSON.parse(JSON.stringify(sim.demoAccount))).toEqual({
      ...TOY_DEMO,
      apiSecret: '***',
      balances: { USD: '5' },
    });
    expect({ ...sim.demoAccount }).toEqual({ apiKey: TOY_DEMO.apiKey, balances: { USD: '5' } });
    expect([...sim.keys]).toEqual(['toy-demo', 'other']);
    expect(sim.ledger.balance('toy-demo', 'USD').free.toString()).toBe('5');
    expect(sim.ledger.balance('other', 'BTC').free.toString()).toBe('2');
    expect(sim.makerFee('other').toString()).toBe('0.002');
    sim.deposit('other', 'USD', '7');
    expect(sim.ledger.balance('other', 'USD').free.toString()).toBe('7');
  });

  it('has no demo account unless asked', async () => {
    const sim = await toy({ demoAccount: false });
    expect(sim.demoAccount).toBeUndefined();
    expect(sim.keys.size).toBe(0);
  });
});

describe('SimulatorBase truth accessors', () => {
  it('finds a market by pair or exchange name and names the simulator when it cannot', async () => {
    const sim = await toy();
    expect(sim.marketInfo('BTC-USD').id).toBe('BTCUSD');
    expect(sim.engine('BTCUSD')).toBe(sim.marketInfo('BTC-USD').engine);
    expect(sim.tradingPairs).toEqual(['BTC-USD']);
    expect(() => sim.engine('ETH-USD')).toThrow('ToySimulator: unknown market ETH-USD');
  });

  it('logs requests with their key and counts only order placements per key', async () => {
    const clock = new SimClock({ startMs: 1_000 });
    const sim = await toy({ clock, demoAccount: true });
    await placeOrder(sim, 'toy-demo', { side: 'buy', price: '99', amount: '0.01', id: 'a' });
    await httpCall(`${sim.restUrl}/order/a`, { method: 'DELETE', headers: { 'x-toy-key': 'toy-demo' } });
    await httpCall(`${sim.restUrl}/order`);
    expect(sim.requestLog()).toEqual([
      { method: 'POST', path: '/order', apiKey: 'toy-demo', time: 1_000 },
      { method: 'DELETE', path: '/order/a', apiKey: 'toy-demo', time: 1_000 },
      { method: 'GET', path: '/order', apiKey: undefined, time: 1_000 },
    ]);
    expect(sim.orderRequestCount('toy-demo')).toBe(1);
    expect(sim.orderRequestCount('nobody')).toBe(0);
  });

  it('shows the true book, and a taker fills our order so the ledger sees it', async () => {
    const sim = await toy({ demoAccount: true });
    await placeOrder(sim, 'toy-demo', { side: 'buy', price: '99', amount: '0.05', id: 'ours' });
    expect(sim.trueBook('BTC-USD')).toEqual({ bids: [[99, 0.05]], asks: [] });
    expect(sim.ledgerFilledAmount('toy-demo', 'ours').toString()).toBe('0');

    const taker = sim.takeFromAccount('toy-demo', 'BTC-USD', 'buy', '99', '0.02');
    expect(taker.account).toBe(SIM_TAKER_ACCOUNT);
    expect(taker.side).toBe('sell');
    expect(sim.ledgerFilledAmount('toy-demo', 'ours').toString()).toBe('0.02');
    expect(sim.orderByClientOrderId('toy-demo', 'ours')?.remaining.toString()).toBe('0.03');
    expect(sim.ledgerFilledAmount('toy-demo', 'none')).toEqual(new BigNumber(0));
  });
});

describe('SimulatorBase activity', () => {
  it('is deterministic per seed, filters by pair or id, and replaces the previous run', async () => {
    const a = await toy();
    const b = await toy();
    a.activity(4).step(100);
    b.activity(4, { pairs: ['BTCUSD'] }).step(100);
    expect(a.trueBook('BTC-USD')).toEqual(b.trueBook('BTC-USD'));
    expect(a.trueBook('BTC-USD').bids.length).toBeGreaterThan(0);
    expect(a.activity(1, { pairs: ['ETH-USD'] }).generators).toHaveLength(0);

    const run = a.activity(5, { generator: { accountPrefix: 'x-' } });
    expect(run.generators[0]?.accounts[0]).toBe('x-1');
    const spy = jest.spyOn(run.generators[0]!, 'stop');
    a.activity(6);
    expect(spy).toHaveBeenCalled();
  });

  it('stepSpread makes exactly n steps in all, spread over the markets; run() steps at a rate from one timer', async () => {
    const sim = await toy();
    const run = sim.activity(7);
    const steps = (): number => run.generators.reduce((a, g) => a + g.stats.steps, 0);
    run.stepSpread(40);
    expect(steps()).toBe(40);
    run.run(500);
    const deadline = Date.now() + 5_000;
    while (steps() < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    run.stop();
    expect(steps()).toBeGreaterThanOrEqual(60);
    const after = steps();
    await new Promise((r) => setTimeout(r, 50));
    expect(steps()).toBe(after);
  });

  it('names the traders after the market id by default', async () => {
    const sim = await toy();
    expect(sim.activity(1).generators[0]?.accounts[0]).toBe('sim-btcusd-trader-1');
  });
});

describe('SimulatorBase outages', () => {
  it('userStreamDown drops and refuses user sockets until restored; market sockets stay', async () => {
    const sim = await toy();
    const user = new RecordingClient(`${sim.wsUrl}/user`);
    const market = new RecordingClient(`${sim.wsUrl}/market`);
    await Promise.all([user.opened, market.opened]);
    const outage = sim.userStreamDown();
    await user.closed;
    expect(sim.refusing).toEqual({ user: true, market: false });
    expect(sim.drops).toEqual({ user: 1, market: 0 });
    outage.restore();
    expect(sim.refusing.user).toBe(false);
    expect(market.closeCode).toBeUndefined();
    market.ws.terminate();
  });

  it('marketStreamDown ends by itself after forMs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const sim = await toy();
    sim.marketStreamDown({ forMs: 1_000 });
    expect(sim.refusing.market).toBe(true);
    jest.advanceTimersByTime(999);
    expect(sim.refusing.market).toBe(true);
    jest.advanceTimersByTime(1);
    expect(sim.refusing.market).toBe(false);
  });

  it('clearFaults ends outages, removes fault rules and the clock skew', async () => {
    const sim = await toy();
    sim.userStreamDown();
    sim.marketStreamDown();
    sim.rateLimitNext(3);
    sim.skewClock(5_000);
    // One reading of the skew, not two of the clock: Date.now() may tick between
    // two readings (the old form failed about 1 run in 8).
    expect(sim.clock.skewMs).toBe(5_000);
    sim.clearFaults();
    expect(sim.refusing).toEqual({ user: false, market: false });
    expect(sim.faults.httpRules()).toHaveLength(0);
    expect(sim.clock.skewMs).toBe(0);
  });
});

describe('SimulatorBase REST faults', () => {
  it('failNextOrder refuses a placement unapplied, in the exchange error shape', async () => {
    const sim = await toy({ demoAccount: true });
    sim.failNextOrder();
    const r = await placeOrder(sim, 'toy-demo', { side: 'buy', price: '99', amount: '0.01', id: 'x' });
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toEqual({ toyError: 503 });
    expect(sim.orderByClientOrderId('toy-demo', 'x')).toBeUndefined();
    expect(sim.orderRequestCount('toy-demo')).toBe(1);
  });

  it('failNextOrder with apply places the order and still answers the failure', async () => {
    const sim = await toy({ demoAccount: true });
    sim.failNextOrder({ apply: true, outcome: 500 });
    const r = await placeOrder(sim, 'toy-demo', { side: 'buy', price: '99', amount: '0.01', id: 'y' });
    expect(r.status).toBe(500);
    expect(sim.orderByClientOrderId('toy-demo', 'y')?.status).toBe('new');
  });

  it('failNextOrder on DELETE hits the cancel path only, and a timeout never answers', async () => {
    const sim = await toy({ demoAccount: true });
    await placeOrder(sim, 'toy-demo', { side: 'buy', price: '99', amount: '0.01', id: 'z' });
    sim.failNextOrder({ method: 'DELETE', outcome: 'timeout' });
    await expect(
      httpCall(`${sim.restUrl}/order/z`, {
        method: 'DELETE',
        headers: { 'x-toy-key': 'toy-demo' },
        timeoutMs: 200,
      }),
    ).rejects.toThrow('timeout');
    expect(sim.orderByClientOrderId('toy-demo', 'z')?.status).toBe('new');
    const ok = await httpCall(`${sim.restUrl}/order/z`, {
      method: 'DELETE',
      headers: { 'x-toy-key': 'toy-demo' },
    });
    expect(ok.status).toBe(200);
  });

  it('rateLimitNext answers 429 with Retry-After for `n` requests, with a body override', async () => {
    const sim = await toy();
    sim.rateLimitNext(1, { retryAfterSec: 7 });
    const first = await httpCall(`${sim.restUrl}/anything`);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(JSON.parse(first.body)).toEqual({ toyError: 429 });
    expect((await httpCall(`${sim.restUrl}/anything`)).status).toBe(404);

    sim.rateLimitNext(1, { path: '/order', status: 418, body: { banned: true } });
    expect((await httpCall(`${sim.restUrl}/other`)).status).toBe(404);
    const banned = await httpCall(`${sim.restUrl}/order`);
    expect(banned.status).toBe(418);
    expect(JSON.parse(banned.body)).toEqual({ banned: true });
  });

  it('delayResponses holds answers until the handle is removed', async () => {
    const sim = await toy();
    const handle = sim.delayResponses(50, { path: '/slow' });
    expect((await httpCall(`${sim.restUrl}/slow`)).status).toBe(404);
    expect(handle.hits).toBe(1);
    handle.remove();
    expect(sim.faults.httpRules()).toHaveLength(0);
  });
});

describe('sandboxOf', () => {
  it('warms the book up and hands out endpoints, keys and activity switches', async () => {
    const sim = await toy({ demoAccount: true });
    const sandbox = sandboxOf(
      sim,
      { apiKey: 'toy-demo', apiSecret: 'toy-secret' },
      { seed: 3, warmupSteps: 100 },
    );
    expect(sandbox.endpoints).toEqual({ restUrl: sim.restUrl, wsUrl: sim.wsUrl });
    expect(sandbox.tradingPairs).toEqual(['BTC-USD']);
    expect(sandbox.simulator).toBe(sim);
    expect(sim.trueBook('BTC-USD').bids.length + sim.trueBook('BTC-USD').asks.length).toBeGreaterThan(0);

    const twin = await toy();
    twin.activity(3).step(100);
    expect(twin.trueBook('BTC-USD')).toEqual(sim.trueBook('BTC-USD'));

    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const before = JSON.stringify(sim.trueBook('BTC-USD'));
    sandbox.startActivity(10);
    jest.advanceTimersByTime(200);
    sandbox.stopActivity();
    expect(JSON.stringify(sim.trueBook('BTC-USD'))).not.toBe(before);
    await sandbox.stop();
    expect(sim.stoppedHooks).toBe(1);
  });
});
