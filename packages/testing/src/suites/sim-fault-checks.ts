// What a simulator's fault knobs must do on its exchange's own wire, written
// once: SimulatorBase implements the knobs, and each exchange simulator runs these
// checks through a small adapter (how it signs a placement and a lookup, what its
// refusals look like), so a knob that is not wired to the exchange's endpoints,
// error bodies or sockets fails here rather than in a connector's conformance run.
import { describe, expect, it } from '@jest/globals';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import type { OutageHandle } from '../simulator/simulator-types.js';
import { waitFor } from '../util/test-helpers.js';
import type { HttpAnswer, TestWsClient } from '../util/test-clients.js';
import { useSimulator, type SimulatorSpecContext } from './simulator-spec.js';

/** How one exchange simulator is driven over its REST wire for the order-fault checks. */
export interface SimOrderFaultsAdapter<S extends SimulatorBase> {
  /** Starts the simulator with the `apiKey` account funded for the resting order. */
  readonly start: () => Promise<S>;
  readonly apiKey: string;
  /** A client order id the exchange accepts, new on every call. */
  readonly clientOrderId: () => string;
  /** The HTTP status of an accepted placement (default 200; Bittrex answers 201 Created). */
  readonly placedStatus?: number;
  /** The exchange's signed placement of the resting limit buy with `clientOrderId`. */
  readonly place: (sim: S, clientOrderId: string, signal?: AbortSignal) => Promise<HttpAnswer>;
  /** The exchange's signed lookup of an order by its client order id. */
  readonly lookup: (sim: S, clientOrderId: string) => Promise<HttpAnswer>;
  /** Where the resting order shows on the true book: its pair and its [price, amount] level. */
  readonly restsAt: { readonly pair: string; readonly level: readonly [number, number] };
  /** What the exchange answers, as Jest `toMatchObject` patterns of the whole answer (status, body). */
  readonly answers: {
    /** A placement failed with a 5xx `status`. */
    readonly failed: (status: number) => object;
    /** A lookup of the resting order. */
    readonly found: (clientOrderId: string) => object;
    /** A lookup of an order it does not hold. */
    readonly notFound: object;
    /** A signed request whose timestamp is outside the exchange's window. */
    readonly staleTimestamp: object;
  };
  /** Clock skew: how far ahead to run the server (beyond the exchange's timestamp window) ... */
  readonly skewMs: number;
  /** ... the server time (ms) from the exchange's public time endpoint ... */
  readonly serverTime: (sim: S) => Promise<number>;
  /** ... and a signed private read stamped `timestampMs` (default: the client's clock). */
  readonly privateRead: (sim: S, timestampMs?: number) => Promise<HttpAnswer>;
}

/**
 * Registers the order-fault checks (`failNextOrder` applied and not applied,
 * with a 5xx and with no answer at all; `skewClock` and `clearFaults`) for one
 * exchange simulator, each on a fresh simulator; `extra` registers the
 * simulator's own fault tests in the same `describe`, with the same simulator.
 */
export function describeSimOrderFaults<S extends SimulatorBase>(
  name: string,
  adapter: SimOrderFaultsAdapter<S>,
  extra?: (ctx: SimulatorSpecContext<S>) => void,
): void {
  const { apiKey, answers } = adapter;
  describe(`${name}: order faults on the exchange's wire`, () => {
    const ctx = useSimulator(adapter.start);

    /** Sends a placement that gets no answer: aborted once the simulator has it (and, applied, has placed it). */
    const placeUnanswered = async (clientOrderId: string, applied: boolean): Promise<void> => {
      const sim = ctx.sim;
      const before = sim.orderRequestCount(apiKey);
      const aborter = new AbortController();
      const sent = adapter.place(sim, clientOrderId, aborter.signal);
      const outcome = expect(sent).rejects.toThrow();
      await waitFor('the placement to reach the simulator', () =>
        applied
          ? sim.orderByClientOrderId(apiKey, clientOrderId) !== undefined
          : sim.orderRequestCount(apiKey) > before,
      );
      aborter.abort();
      await outcome;
    };

    it.each([502, 503])(
      'failNextOrder applied: the order is placed, the client sees %i, a lookup by client order id finds it',
      async (status) => {
        const sim = ctx.sim;
        const id = adapter.clientOrderId();
        sim.failNextOrder({ apply: true, outcome: status });
        expect(await adapter.place(sim, id)).toMatchObject(answers.failed(status));
        expect(sim.orderRequestCount(apiKey)).toBe(1);
        expect(await adapter.lookup(sim, id)).toMatchObject(answers.found(id));
        expect(sim.trueBook(adapter.restsAt.pair).bids).toEqual([adapter.restsAt.level]);
      },
    );

    it('failNextOrder not applied: a 5xx and nothing placed; the same order then goes through', async () => {
      const sim = ctx.sim;
      const id = adapter.clientOrderId();
      sim.failNextOrder({ outcome: 500 });
      expect(await adapter.place(sim, id)).toMatchObject(answers.failed(500));
      expect(await adapter.lookup(sim, id)).toMatchObject(answers.notFound);
      expect(sim.trueBook(adapter.restsAt.pair).bids).toEqual([]);
      expect((await adapter.place(sim, id)).status).toBe(adapter.placedStatus ?? 200);
      expect(sim.orderRequestCount(apiKey)).toBe(2);
    });

    it('failNextOrder timeout applied: the client never hears back, yet the order rests', async () => {
      const id = adapter.clientOrderId();
      ctx.sim.failNextOrder({ apply: true, outcome: 'timeout' });
      await placeUnanswered(id, true);
      expect(ctx.sim.orderByClientOrderId(apiKey, id)?.status).toBe('new');
    });

    it('failNextOrder timeout not applied: the client never hears back and nothing is placed', async () => {
      const id = adapter.clientOrderId();
      ctx.sim.failNextOrder({ outcome: 'timeout' });
      await placeUnanswered(id, false);
      expect(ctx.sim.orderByClientOrderId(apiKey, id)).toBeUndefined();
    });

    it('skewClock: an unsynced client is refused until it stamps with server time; clearFaults ends it', async () => {
      const sim = ctx.sim;
      sim.skewClock(adapter.skewMs);
      const before = Date.now();
      const serverTime = await adapter.serverTime(sim);
      const after = Date.now();
      // The simulator read its skewed clock somewhere between `before` and `after`, however
      // long the request took under load; the 1 s margin allows clocks that report whole seconds.
      expect(serverTime - adapter.skewMs).toBeGreaterThanOrEqual(before - 1000);
      expect(serverTime - adapter.skewMs).toBeLessThanOrEqual(after + 1000);
      expect(await adapter.privateRead(sim)).toMatchObject(answers.staleTimestamp);
      expect((await adapter.privateRead(sim, serverTime)).status).toBe(200);
      sim.clearFaults();
      expect((await adapter.privateRead(sim)).status).toBe(200);
    });
    extra?.(ctx);
  });
}

/** One stream outage of a simulator and how a client reaches that stream. */
export interface StreamOutageCase<C extends TestWsClient> {
  /** Starts the outage (`sim.userStreamDown()`, `sim.marketStreamDown()`). */
  readonly down: () => OutageHandle;
  /** A client subscribed to the stream, the subscription acknowledged. */
  readonly subscribed: () => Promise<C>;
  /** What a client does to get the stream (connect; or connect and subscribe): refused while down. */
  readonly attempt: () => Promise<C>;
  /** Clients of other streams, which the outage must leave open. */
  readonly unaffected?: readonly C[];
}

/**
 * Checks a stream outage end to end: it drops a subscribed client, refuses
 * (closes) a new attempt while it lasts and leaves `unaffected` clients open;
 * after `restore()` a subscription is acknowledged again. Returns that client.
 */
export async function expectStreamOutage<C extends TestWsClient>(outage: StreamOutageCase<C>): Promise<C> {
  const before = await outage.subscribed();
  const handle = outage.down();
  await before.waitClosed();
  const refused = await outage.attempt();
  await refused.waitClosed();
  for (const client of outage.unaffected ?? []) expect(client.closed).toBe(false);
  handle.restore();
  const after = await outage.subscribed();
  expect(after.closed).toBe(false);
  return after;
}
