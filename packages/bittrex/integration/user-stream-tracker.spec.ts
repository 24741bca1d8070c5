// Seed requirement "user stream tracker test": BittrexUserStreamTracker over the
// authenticated SignalR socket against the simulator — Authenticate, the order /
// execution / balance channels with their sequences, renewal on
// authenticationExpiring, reconnects, sequence gaps, and refusals.
import { describe, expect, it } from '@jest/globals';
import { Credentials, SubscriptionError, type HbError, type UserStreamEvent } from '@hb/core/connector';
import { demoAccount, insideSpread, waitFor } from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import { BittrexApiClient } from '../src/bittrex-api-client.js';
import { BittrexAuth } from '../src/bittrex-auth.js';
import { BittrexSignalRClient } from '../src/bittrex-signalr.js';
import {
  BittrexUserStreamDataSource,
  type BittrexUserEvent,
} from '../src/bittrex-user-stream-data-source.js';
import { BittrexUserStreamTracker } from '../src/bittrex-user-stream-tracker.js';
import {
  startTestSimulator,
  type BittrexSimulator,
  type BittrexSimulatorOptions,
} from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('user stream tracker test (seed requirement)', () => {
  const t = useSimulator(() => startTestSimulator({ seed: 9 }), { seed: 4, steps: 80, pairs: [PAIR] });
  const cleanup = t.cleanup;
  let sim: BittrexSimulator;

  /**
   * A started tracker on the demo account of the test's simulator, or of one
   * started with `options` (timings the default simulator does not have).
   */
  async function setUp(options?: BittrexSimulatorOptions, secret?: string) {
    if (options === undefined) {
      sim = t.sim;
    } else {
      sim = await startSimulator(cleanup, { seed: 9, ...options });
      sim.activity(4, { pairs: [PAIR] }).step(80);
    }
    const account = demoAccount(sim);
    const auth = new BittrexAuth(
      new Credentials({ apiKey: account.apiKey, secret: secret ?? account.apiSecret }),
      Date.now,
      { restUrl: `${sim.restUrl}/v3` },
    );
    const tracker = new BittrexUserStreamTracker(
      new BittrexUserStreamDataSource({
        signalrUrl: `${sim.wsUrl}/signalr`,
        auth,
        reconnectMinDelayMs: 20,
        reconnectMaxDelayMs: 200,
      }),
    );
    const events: UserStreamEvent<BittrexUserEvent>[] = [];
    const errors: HbError[] = [];
    const sub = tracker.events$.subscribe({
      next: (e) => events.push(e),
      error: (e: HbError) => errors.push(e),
    });
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => tracker.stop());
    tracker.start();
    return { tracker, events, errors, apiKey: account.apiKey };
  }

  const payloadsOf = (events: UserStreamEvent<BittrexUserEvent>[], channel: BittrexUserEvent['channel']) =>
    events.flatMap((e) => (e.kind === 'event' && e.event.channel === channel ? [e.event] : []));

  /** Places a resting order of the demo account straight on the engine path the REST API uses. */
  function placeOurs(apiKey: string, clientOrderId: string): void {
    sim.exchange.placeOrder(apiKey, {
      marketSymbol: PAIR,
      direction: 'SELL',
      type: 'LIMIT',
      quantity: '0.002',
      limit: insideSpread(sim, PAIR, 'sell').toFixed(3),
      timeInForce: 'GOOD_TIL_CANCELLED',
      clientOrderId,
    });
  }

  it('authenticates, subscribes order/balance/execution, and delivers our deltas with consecutive sequences', async () => {
    const { events, apiKey } = await setUp();
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    expect(sim.hub.authenticateCount).toBe(1);
    expect([...sim.hub.userSockets()[0]!.streams].sort()).toEqual([
      'balance',
      'execution',
      'heartbeat',
      'order',
    ]);
    const cid = '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f01';
    placeOurs(apiKey, cid);
    const price = sim.orderByClientOrderId(apiKey, cid)!.price!;
    sim.takeFromAccount(apiKey, PAIR, 'sell', price, '0.002');
    await waitFor('execution and closed order', () =>
      payloadsOf(events, 'order').some((o) => JSON.stringify(o.payload).includes('"CLOSED"')),
    );
    const orders = payloadsOf(events, 'order');
    expect(JSON.stringify(orders[0]!.payload)).toContain(cid);
    const seqs = orders.map((o) => o.sequence);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const execs = payloadsOf(events, 'execution');
    expect(execs).toHaveLength(1);
    expect(JSON.stringify(execs[0]!.payload)).toContain('"isTaker":false');
    await waitFor('balance deltas', () => payloadsOf(events, 'balance').length >= 2);
    expect(events.filter((e) => e.kind === 'reconnected')).toEqual([]);
  });

  it('renews authentication on authenticationExpiring; private deltas keep flowing past the first expiry', async () => {
    const { events, apiKey } = await setUp({ authTtlMs: 1_200, authWarningMs: 900 });
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    await waitFor('a renewal', () => sim.hub.authenticateCount >= 2, 5_000);
    expect(sim.hub.expiringWarnings).toBeGreaterThanOrEqual(1);
    // Past the first authentication's lifetime.
    await new Promise((r) => setTimeout(r, 1_300));
    placeOurs(apiKey, '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f02');
    await waitFor('the order delta', () => payloadsOf(events, 'order').length > 0);
  });

  it('with REST snapshots: the balances are emitted at the Sequence header, and later deltas continue from it', async () => {
    sim = t.sim;
    const account = demoAccount(sim);
    const api = new BittrexApiClient({
      restUrl: `${sim.restUrl}/v3`,
      credentials: new Credentials({ apiKey: account.apiKey, secret: account.apiSecret }),
    });
    const source = new BittrexUserStreamDataSource({
      signalrUrl: `${sim.wsUrl}/signalr`,
      auth: api.signer!,
      snapshots: {
        balances: () => api.balances(),
        openOrders: () => api.openOrdersSequenced(),
        executionSequence: () => api.executionSequence(),
      },
    });
    const events: UserStreamEvent<BittrexUserEvent>[] = [];
    const sub = source.listen().subscribe((e) => events.push(e));
    cleanup.add(() => sub.unsubscribe());
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    const s0 = sim.exchange.privateSequence(account.apiKey, 'balance');
    const snap = payloadsOf(events, 'balance');
    expect(snap.map((b) => b.sequence)).toEqual(snap.map(() => s0));
    expect(
      snap.map((b) => (b.payload as { delta: { currencySymbol: string } }).delta.currencySymbol).sort(),
    ).toEqual(['BTC', 'ETH', 'USDT']);
    const connectedAt = events.findIndex((e) => e.kind === 'connected');
    expect(events.slice(0, connectedAt).filter((e) => e.kind === 'event').length).toBe(3);
    placeOurs(account.apiKey, '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f06');
    await waitFor('a balance delta after the snapshot', () =>
      payloadsOf(events, 'balance').some((b) => b.sequence === s0 + 1),
    );
    expect(events.filter((e) => e.kind === 'reconnected')).toEqual([]);
  });

  it('a dropped socket is reconnected, re-authenticated and resubscribed, with a reconnected marker', async () => {
    const { events, apiKey, tracker } = await setUp();
    const statuses: string[] = [];
    const sub = tracker.status$.subscribe((s) => statuses.push(s.status));
    cleanup.add(() => sub.unsubscribe());
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    expect(sim.dropUserSockets()).toBe(1);
    // The lost socket turns the stream stale before the reconnect.
    await waitFor('stale', () => statuses.includes('stale'));
    await waitFor('reconnected', () => events.some((e) => e.kind === 'reconnected'));
    expect(sim.hub.authenticateCount).toBe(2);
    placeOurs(apiKey, '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f03');
    await waitFor('the order delta', () => payloadsOf(events, 'order').length > 0);
  });

  it('a skipped private sequence emits a reconnected marker (the market reconciles by REST)', async () => {
    const { events, apiKey } = await setUp();
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    placeOurs(apiKey, '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f04');
    await waitFor('first order delta', () => payloadsOf(events, 'order').length === 1);
    sim.faults.skipSequence({ stream: 'order' });
    sim.exchange.cancelOpen(apiKey, PAIR);
    placeOurs(apiKey, '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f05');
    await waitFor('the gap marker', () =>
      events.some((e) => e.kind === 'reconnected' && e.reason.startsWith('order sequence gap')),
    );
  });

  it('a wrong secret ends the data source stream with a non-retryable authentication error that shows no secret, signing in once', async () => {
    sim = t.sim;
    const secret = 'wrong-secret-5c2e8a1f-not-real';
    const auth = new BittrexAuth(new Credentials({ apiKey: demoAccount(sim).apiKey, secret }), Date.now, {
      restUrl: `${sim.restUrl}/v3`,
    });
    const source = new BittrexUserStreamDataSource({
      signalrUrl: `${sim.wsUrl}/signalr`,
      auth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    const error = await expectRefusedUserStream({
      listen: () => source.listen(),
      subscriptions: () => sim.hub.userSockets().length,
      secrets: [secret, demoAccount(sim).apiSecret],
      printed: [auth, source],
      cleanup,
    });
    expect(error.exchangeCode).toBe('INVALID_SIGNATURE');
    // One attempt: a refused key is not retried in a loop.
    expect(sim.hub.authenticateCount).toBe(0);
    expect(sim.hub.authenticateRefusals).toBe(1);
  });

  it('subscribing a private channel without Authenticate is refused with a typed error', async () => {
    sim = t.sim;
    const refused: HbError[] = [];
    const client = new BittrexSignalRClient({
      signalrUrl: `${sim.wsUrl}/signalr`,
      name: 'test',
      onMessage: () => undefined,
      onSubscribeRefused: (_t, e) => refused.push(e),
    });
    cleanup.add(() => client.close());
    client.acquire('heartbeat'); // keeps the socket open once 'order' is refused
    client.acquire('order');
    await waitFor('the refusal', () => refused.length > 0);
    expect(refused[0]).toBeInstanceOf(SubscriptionError);
    expect(refused[0]!.reason).toBe('authentication');
    expect(refused[0]!.exchangeCode).toBe('UNAUTHORIZED');
    expect(refused[0]!.retryable).toBe(false);
    expect(await client.invoke('IsAuthenticated', [])).toBe(false);
  });
});
