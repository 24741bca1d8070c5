// Seed requirement "user stream tracker test": HuobiUserStreamTracker over the v2
// account stream (`/ws/v2`): the v2.1 login, `orders#`, `trade.clearing#` (fills
// with the fee charged) and `accounts.update#2` pushes parsed into core updates,
// the `{"action":"ping"}` rule, a dropped socket announced at once (`disconnected`)
// and as `reconnected` once logged in again, and a refused login.
import { describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import type { UserStreamEvent, UserStreamUpdate } from '@hb/core/connector';
import { demoAccount, startUserStreamTrackerForTest, waitFor } from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import type { HuobiApiClient } from '../src/huobi-api-client.js';
import { parseAccountStreamPush } from '../src/huobi-order-parsers.js';
import { HuobiUserStreamDataSource } from '../src/huobi-user-stream-data-source.js';
import { HuobiUserStreamTracker } from '../src/huobi-user-stream-tracker.js';
import { demoApiClient, simulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('user stream tracker test (seed requirement)', () => {
  // The account socket pings every 100 ms here (20 s on the exchange) and drops a
  // client after 8 unanswered pings.
  const t = useSimulator(
    () => simulator({ seed: 9, accountPingIntervalMs: 100, maxMissedPings: 8 }),
    { seed: 2, steps: 100, pairs: [PAIR] },
    async (sim) => {
      const api = await demoApiClient(sim);
      await api.referenceData();
      return { api };
    },
  );

  function dataSource(client: HuobiApiClient = t.state.api): HuobiUserStreamDataSource {
    const auth = client.signer;
    if (auth === undefined) throw new Error('the client has no keys');
    return new HuobiUserStreamDataSource({
      url: `${t.sim.wsUrl}/ws/v2`,
      auth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 100,
    });
  }

  /** A started tracker recording its events; stopped by the cleanup. */
  async function startTracker(): Promise<UserStreamEvent<unknown>[]> {
    return startUserStreamTrackerForTest(t.cleanup, new HuobiUserStreamTracker(dataSource()));
  }

  /** Every update parsed from the events so far, with the package's parser (as the market does). */
  const updates = (events: readonly UserStreamEvent<unknown>[]): UserStreamUpdate[] =>
    events.flatMap((e) => (e.kind === 'event' ? parseAccountStreamPush(e.event, t.state.api.symbols) : []));

  it('logs in, subscribes the three channels, and delivers orders, fills with fees, and balances', async () => {
    const { sim } = t;
    const apiKey = demoAccount(sim).apiKey;
    const events = await startTracker();
    expect(
      sim
        .accountSubscriptions()
        .map((s) => s.channel)
        .sort(),
    ).toEqual(['accounts.update#2', 'orders#*', 'trade.clearing#*#0']);
    // accounts.update pushes every balance right after the subscription.
    await waitFor('initial balances', () =>
      updates(events).some((u) => u.kind === 'balance' && u.update.asset === 'USDT'),
    );

    const ask = sim.engine(PAIR).bestAsk()!;
    sim.exchange.place(apiKey, {
      'account-id': String(sim.spotAccountId(apiKey)),
      symbol: 'btcusdt',
      type: 'buy-limit',
      amount: '0.002',
      price: ask.toFixed(),
      'client-order-id': 'hb-us-1',
    });
    await waitFor('a filled order', () =>
      updates(events).some(
        (u) => u.kind === 'order' && u.update.clientOrderId === 'hb-us-1' && u.update.newState === 'FILLED',
      ),
    );
    const order = sim.orderByClientOrderId(apiKey, 'hb-us-1')!;
    await waitFor('every fill', () => {
      const filled = updates(events).reduce(
        (s, u) => (u.kind === 'trade' ? s.plus(u.update.fillBaseAmount) : s),
        new BigNumber(0),
      );
      return filled.eq(order.filledAmount);
    });
    const fills = updates(events).flatMap((u) => (u.kind === 'trade' ? [u.update] : []));
    expect(
      fills.every((f) => f.clientOrderId === 'hb-us-1' && f.fee.asset === 'BTC' && f.isMaker === false),
    ).toBe(true);
    expect(fills.reduce((s, f) => s.plus(f.fee.amount), new BigNumber(0)).toFixed()).toBe(
      order.feePaid.toFixed(),
    );
    const creation = updates(events).find((u) => u.kind === 'order' && u.update.clientOrderId === 'hb-us-1');
    expect(creation?.kind === 'order' && creation.update.newState).toBe('OPEN');
    const btc = sim.ledger.balance(apiKey, 'BTC');
    await waitFor('the BTC balance', () =>
      updates(events).some(
        (u) => u.kind === 'balance' && u.update.asset === 'BTC' && u.update.total.eq(btc.total),
      ),
    );
  });

  it("answers the account stream's pings: the socket outlives many of them", async () => {
    const { sim } = t;
    const events = await startTracker();
    const conn = sim.accountConnections()[0]!;
    // 10 answers on the same socket, where 8 unanswered pings would have closed it.
    await waitFor('10 pongs on the account socket', () => sim.pongsOf(conn) >= 10);
    expect(sim.accountConnections().map((c) => c.id)).toEqual([conn.id]);
    expect(events.filter((e) => e.kind === 'disconnected' || e.kind === 'reconnected')).toEqual([]);
  });

  it('a dropped socket makes the stream stale at once, then `reconnected` and live once logged in again (the market then reconciles by REST)', async () => {
    const { sim } = t;
    const tracker = new HuobiUserStreamTracker(dataSource());
    const statuses: string[] = [];
    const sub = tracker.status$.subscribe((s) => statuses.push(s.status));
    t.cleanup.add(() => sub.unsubscribe());
    const events = await startUserStreamTrackerForTest(t.cleanup, tracker);
    expect(tracker.status.status).toBe('live');
    expect(sim.dropUserSockets()).toBe(1);
    await waitFor('reconnected', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.map((e) => e.kind).filter((k) => k !== 'event')).toEqual(['connected', 'reconnected']);
    // Stale from the drop (before the new login), live again after it.
    expect(statuses.slice(statuses.indexOf('live'))).toEqual(['live', 'stale', 'live']);
    expect(sim.accountSubscriptions()).toHaveLength(3);
  });

  it('a wrong secret: the login is refused (auth.fail) and the stream ends with an authentication error that does not contain the secret', async () => {
    const badSecret = 'not-the-demo-secret-0123456789abcdef';
    const client = await demoApiClient(t.sim, { apiSecret: badSecret });
    const error = await expectRefusedUserStream({
      listen: () => dataSource(client).listen(),
      subscriptions: () => t.sim.accountSubscriptions().length,
      secrets: [badSecret, demoAccount(t.sim).apiSecret],
      cleanup: t.cleanup,
    });
    expect(error).toMatchObject({ exchangeCode: 2002 });
    expect(error.message).toMatch(/auth\.fail/);
    expect(t.sim.accountLoginAttempts()).toBe(1);
  });
});
