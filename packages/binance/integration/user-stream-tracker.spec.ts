// Seed requirement "user stream tracker test": BinanceUserStreamTracker over
// BinanceUserStreamDataSource (the WebSocket API user data subscription) against
// the simulator — events of our orders and balances, a terminated subscription, a
// dropped socket, and a refused signature.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { OrderUpdate, UserStreamEvent, UserStreamUpdate } from '@hb/core/connector';
import { demoAccount, insideSpread, waitFor } from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { parseUserDataEvent } from '../src/binance-order-parsers.js';
import { buildNewOrderParams, buildOrderLookupParams } from '../src/binance-order-requests.js';
import {
  BinanceUserStreamDataSource,
  type BinanceUserDataFrame,
} from '../src/binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from '../src/binance-user-stream-tracker.js';
import { symbolMapFromExchangeInfo, type SymbolMap } from '../src/binance-utils.js';
import type { BinanceSimulator } from '../src/testing/index.js';
import { simulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('user stream tracker test (seed requirement)', () => {
  const context = useSimulator(() => simulator({ seed: 9 }), { seed: 4, steps: 80, pairs: [PAIR] });
  const { cleanup } = context;
  let sim: BinanceSimulator;
  let api: BinanceApiClient;
  let symbols: SymbolMap;

  beforeEach(async () => {
    sim = context.sim;
    const { apiKey, apiSecret } = demoAccount(sim);
    api = new BinanceApiClient({
      restUrl: sim.restUrl,
      credentials: { apiKey, apiSecret },
      timeoutMs: 2_000,
    });
    await api.syncTime();
    symbols = symbolMapFromExchangeInfo(await api.exchangeInfo());
  });

  function dataSource(client: BinanceApiClient = api): BinanceUserStreamDataSource {
    const auth = client.signer;
    if (auth === undefined) throw new Error('the client has no keys');
    return new BinanceUserStreamDataSource({
      wsApiUrl: sim.wsApiUrl,
      auth,
      resyncClock: () => client.syncTime(),
      retryDelayMs: 100,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
  }

  /** A started tracker recording its events; stopped by the cleanup. */
  async function startTracker(): Promise<{
    tracker: BinanceUserStreamTracker;
    events: UserStreamEvent<BinanceUserDataFrame>[];
  }> {
    const tracker = new BinanceUserStreamTracker(dataSource());
    const events: UserStreamEvent<BinanceUserDataFrame>[] = [];
    const sub = tracker.events$.subscribe((e) => events.push(e));
    cleanup.add(() => tracker.stop());
    cleanup.add(() => sub.unsubscribe());
    tracker.start();
    await waitFor('connected', () => events.some((e) => e.kind === 'connected'));
    await waitFor('the subscription', () => sim.userStreamSubscriptions().length === 1);
    return { tracker, events };
  }

  /** Every update parsed from the tracker's events so far, as the market parses them. */
  function updates(events: readonly UserStreamEvent<BinanceUserDataFrame>[]): UserStreamUpdate[] {
    return events.flatMap((e) => {
      if (e.kind !== 'event') return [];
      const parsed = parseUserDataEvent(e.event, symbols);
      return parsed.kind === 'updates' ? parsed.updates : [];
    });
  }

  function orderStates(
    events: readonly UserStreamEvent<BinanceUserDataFrame>[],
    clientOrderId: string,
  ): OrderUpdate['newState'][] {
    return updates(events).flatMap((u) =>
      u.kind === 'order' && u.update.clientOrderId === clientOrderId ? [u.update.newState] : [],
    );
  }

  async function placeBuy(clientOrderId: string, amount = '0.002'): Promise<string> {
    const price = insideSpread(sim, PAIR, 'buy');
    await api.newOrder(
      buildNewOrderParams({
        symbol: 'BTCUSDT',
        side: 'buy',
        orderType: 'limit',
        amount,
        price: price.toFixed(),
        clientOrderId,
      }),
    );
    return price.toFixed();
  }

  it('connects, then delivers executionReport (NEW, TRADE, CANCELED) and outboundAccountPosition for our orders', async () => {
    const { tracker, events } = await startTracker();
    expect(events[0]?.kind).toBe('connected');
    const apiKey = demoAccount(sim).apiKey;

    const price = await placeBuy('hb-uds-order-1');
    await waitFor('NEW', () => orderStates(events, 'hb-uds-order-1').includes('OPEN'));
    sim.takeFromAccount(apiKey, PAIR, 'buy', price, '0.0005');
    await waitFor('TRADE', () => orderStates(events, 'hb-uds-order-1').includes('PARTIALLY_FILLED'));
    await api.cancelOrder(buildOrderLookupParams('BTCUSDT', 'hb-uds-order-1'));
    await waitFor('CANCELED', () => orderStates(events, 'hb-uds-order-1').includes('CANCELED'));
    expect(orderStates(events, 'hb-uds-order-1')).toEqual(['OPEN', 'PARTIALLY_FILLED', 'CANCELED']);

    const all = updates(events);
    const trades = all.flatMap((u) => (u.kind === 'trade' ? [u.update] : []));
    expect(trades).toHaveLength(1);
    const simTrade = sim.engine(PAIR).accountTrades(apiKey)[0]!;
    expect(trades[0]).toMatchObject({
      tradeId: String(simTrade.trade.tradeId),
      clientOrderId: 'hb-uds-order-1',
      isMaker: true,
    });
    expect(trades[0]!.fillBaseAmount.toFixed()).toBe('0.0005');
    expect(trades[0]!.fee.asset).toBe(simTrade.fee.asset);
    expect(trades[0]!.fee.amount.toFixed()).toBe(simTrade.fee.amount.toFixed());

    await waitFor('the USDT balance after the cancel', () => {
      const usdt = updates(events)
        .flatMap((u) => (u.kind === 'balance' && u.update.asset === 'USDT' ? [u.update] : []))
        .pop();
      const truth = sim.ledger.balance(apiKey, 'USDT');
      return (
        usdt !== undefined &&
        usdt.total.eq(truth.total) &&
        usdt.available.eq(truth.free) &&
        truth.locked.isZero()
      );
    });
    const balances = updates(events).flatMap((u) => (u.kind === 'balance' ? [u.update] : []));
    expect(balances.some((b) => b.asset === 'BTC')).toBe(true);
    // The stream's own receive times feed the market's silence watchdog.
    expect(tracker.lastMessageTime).toBeGreaterThan(0);
  });

  it('a terminated subscription is renewed on the same socket, with a reconnected marker, and events keep flowing', async () => {
    const { events } = await startTracker();
    const socket = sim.wsApiConnections()[0]!.id;
    expect(sim.terminateUserStream()).toBe(1);
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.find((e) => e.kind === 'reconnected')).toMatchObject({
      kind: 'reconnected',
      reason: 'eventStreamTerminated',
    });
    await waitFor('the new subscription', () => sim.userStreamSubscriptions().length === 1);
    expect(sim.wsApiConnections().map((c) => c.id)).toEqual([socket]);

    await placeBuy('hb-uds-after-terminate');
    await waitFor('NEW after the renewal', () =>
      orderStates(events, 'hb-uds-after-terminate').includes('OPEN'),
    );
  });

  it('a dropped socket is reconnected and resubscribed, with a reconnected marker, and events keep flowing', async () => {
    const { events } = await startTracker();
    const socket = sim.wsApiConnections()[0]!.id;
    sim.dropUserSockets();
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
    expect(events.find((e) => e.kind === 'reconnected')).toMatchObject({
      kind: 'reconnected',
      reason: 'user data socket reconnected',
    });
    await waitFor('the new subscription', () => sim.userStreamSubscriptions().length === 1);
    expect(sim.wsApiConnections().map((c) => c.id)).not.toContain(socket);

    await placeBuy('hb-uds-after-drop');
    await waitFor('NEW after the reconnect', () => orderStates(events, 'hb-uds-after-drop').includes('OPEN'));
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(1);
  });

  it('a bad API secret ends the stream with an authentication error that does not contain the secret', async () => {
    const badSecret = 'not-the-demo-secret-0123456789abcdef';
    const client = new BinanceApiClient({
      restUrl: sim.restUrl,
      credentials: { apiKey: demoAccount(sim).apiKey, apiSecret: badSecret },
    });
    await client.syncTime();
    await expectRefusedUserStream({
      listen: () => dataSource(client).listen(),
      subscriptions: () => sim.userStreamSubscriptions().length,
      secrets: [badSecret],
      cleanup,
    });
  });
});
