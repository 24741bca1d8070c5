// Seed requirement "user stream tracker test": HuobiUserStreamTracker over the v2
// account stream (`/ws/v2`): the v2.1 login, `orders#`, `trade.clearing#` (fills
// with the fee charged) and `accounts.update#2` pushes parsed into core updates,
// the `{"action":"ping"}` rule, a refused login, and a dropped socket announced as
// `reconnected` so the market reconciles.
import { afterEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import type { UserStreamEvent, UserStreamUpdate } from '@hb/core/connector';
import { Cleanup, waitFor } from '@hb/testing';
import { HuobiApiClient } from '../src/huobi-api-client.js';
import { parseAccountStreamPush } from '../src/huobi-order-parsers.js';
import { HuobiUserStreamDataSource } from '../src/huobi-user-stream-data-source.js';
import { HuobiUserStreamTracker } from '../src/huobi-user-stream-tracker.js';
import { DEMO_ACCOUNT, type HuobiSimulator } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

describe('user stream tracker test (seed requirement)', () => {
  const cleanup = new Cleanup();
  afterEach(async () => {
    await cleanup.run();
  });

  async function start(sim: HuobiSimulator, secret: string = DEMO_ACCOUNT.apiSecret) {
    const api = new HuobiApiClient({
      restUrl: sim.restUrl,
      accountWsUrl: `${sim.wsUrl}/ws/v2`,
      credentials: { apiKey: DEMO_ACCOUNT.apiKey, apiSecret: secret },
    });
    await api.referenceData();
    const tracker = new HuobiUserStreamTracker(
      new HuobiUserStreamDataSource({
        url: `${sim.wsUrl}/ws/v2`,
        auth: api.signer!,
        reconnectMinDelayMs: 20,
        reconnectMaxDelayMs: 100,
      }),
    );
    const events: UserStreamEvent<unknown>[] = [];
    const updates: UserStreamUpdate[] = [];
    const sub = tracker.events$.subscribe((e) => {
      events.push(e);
      if (e.kind === 'event') updates.push(...parseAccountStreamPush(e.event, api.symbols));
    });
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => tracker.stop());
    tracker.start();
    return { tracker, events, updates, api };
  }

  it('logs in, subscribes the three channels, and delivers orders, fills with fees, and balances', async () => {
    const sim = await startSimulator(cleanup);
    sim.activity(2, { pairs: ['BTC-USDT'] }).step(100);
    const { events, updates } = await start(sim);
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    // accounts.update pushes every balance right after the subscription.
    await waitFor('initial balances', () =>
      updates.some((u) => u.kind === 'balance' && u.update.asset === 'USDT'),
    );

    const ask = sim.engine('BTC-USDT').bestAsk()!;
    const accountId = sim.spotAccountId(DEMO_ACCOUNT.apiKey);
    sim.exchange.place(DEMO_ACCOUNT.apiKey, {
      'account-id': String(accountId),
      symbol: 'btcusdt',
      type: 'buy-limit',
      amount: '0.002',
      price: ask.toFixed(),
      'client-order-id': 'hb-us-1',
    });
    await waitFor('a fill', () => updates.some((u) => u.kind === 'trade'));
    await waitFor('a filled order', () =>
      updates.some(
        (u) => u.kind === 'order' && u.update.clientOrderId === 'hb-us-1' && u.update.newState === 'FILLED',
      ),
    );
    const order = sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, 'hb-us-1')!;
    const fills = updates.flatMap((u) => (u.kind === 'trade' ? [u.update] : []));
    expect(
      fills.every((f) => f.clientOrderId === 'hb-us-1' && f.fee.asset === 'BTC' && f.isMaker === false),
    ).toBe(true);
    expect(fills.reduce((s, f) => s.plus(f.fillBaseAmount), new BigNumber(0)).toFixed()).toBe(
      order.filledAmount.toFixed(),
    );
    expect(fills.reduce((s, f) => s.plus(f.fee.amount), new BigNumber(0)).toFixed()).toBe(
      order.feePaid.toFixed(),
    );
    const creation = updates.find((u) => u.kind === 'order' && u.update.clientOrderId === 'hb-us-1');
    expect(creation?.kind === 'order' && creation.update.newState).toBe('OPEN');
    const btc = sim.ledger.balance(DEMO_ACCOUNT.apiKey, 'BTC');
    await waitFor('the BTC balance', () =>
      updates.some((u) => u.kind === 'balance' && u.update.asset === 'BTC' && u.update.total.eq(btc.total)),
    );
  });

  it('answers the account-stream pings: the socket survives many of them', async () => {
    const sim = await startSimulator(cleanup, { accountPingIntervalMs: 50, maxMissedPings: 2 });
    const { events } = await start(sim);
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    const before = sim.accountConnections().map((c) => c.id);
    await new Promise((r) => setTimeout(r, 400));
    expect(sim.accountConnections().map((c) => c.id)).toEqual(before);
    expect(events.filter((e) => e.kind === 'reconnected')).toEqual([]);
  });

  it('a dropped socket comes back as `reconnected` (the market then reconciles by REST)', async () => {
    const sim = await startSimulator(cleanup);
    const { events } = await start(sim);
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    expect(sim.dropUserSockets()).toBe(1);
    await waitFor('reconnected', () => events.some((e) => e.kind === 'reconnected'));
  });

  it('a wrong secret: the login is refused (auth.fail) and the stream ends with an authentication error', async () => {
    const sim = await startSimulator(cleanup);
    const api = new HuobiApiClient({
      restUrl: sim.restUrl,
      accountWsUrl: `${sim.wsUrl}/ws/v2`,
      credentials: { apiKey: DEMO_ACCOUNT.apiKey, apiSecret: 'not-the-secret' },
    });
    const source = new HuobiUserStreamDataSource({
      url: `${sim.wsUrl}/ws/v2`,
      auth: api.signer!,
    });
    const seen: unknown[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      const sub = source.listen().subscribe({ next: (e) => seen.push(e), error: resolve });
      cleanup.add(() => sub.unsubscribe());
    });
    expect(failure).toMatchObject({ reason: 'authentication', exchangeCode: 2002, retryable: false });
    expect(seen).toEqual([]);
  });
});
