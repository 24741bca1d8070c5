// The per-test simulator every connector spec starts: one `useSimulator` call in
// a `describe` registers the start (with warmed-up activity) before each test and
// the cleanup after it, and gives the tests the running simulator.
import { afterEach, beforeEach, jest } from '@jest/globals';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import { Cleanup } from '../util/test-helpers.js';

/** Activity run on the new simulator before each test, so its books have depth. */
export interface SimulatorWarmup {
  /** Seed of the activity generator. */
  readonly seed: number;
  readonly steps: number;
  /** The pairs it trades (default every listed pair). */
  readonly pairs?: readonly string[];
}

/** The running simulator of the current test, its cleanup, and what `setup` built on it. */
export interface SimulatorSpecContext<S extends SimulatorBase, T = undefined> {
  /** The simulator of the current test (valid inside tests and hooks). */
  readonly sim: S;
  /** Runs after each test (the simulator is stopped last). */
  readonly cleanup: Cleanup;
  /** What `setup` built for the current test (clients, symbol maps...). */
  readonly state: T;
}

/**
 * Registers, in the calling `describe`, a fresh simulator from `start` before
 * each test (then `warmup`, then `setup`, whose result is the test's `state`),
 * and after it the test's cleanup, mock restores and the simulator's stop.
 */
export function useSimulator<S extends SimulatorBase, T = undefined>(
  start: () => Promise<S>,
  warmup?: SimulatorWarmup,
  setup?: (sim: S, cleanup: Cleanup) => T | Promise<T>,
): SimulatorSpecContext<S, T> {
  const cleanup = new Cleanup();
  let sim: S | undefined;
  let state: { value: T } | undefined;
  beforeEach(async () => {
    const started = await start();
    sim = started;
    cleanup.add(() => started.stop());
    if (warmup !== undefined) {
      started
        .activity(warmup.seed, warmup.pairs === undefined ? {} : { pairs: [...warmup.pairs] })
        .step(warmup.steps);
    }
    state = { value: (setup === undefined ? undefined : await setup(started, cleanup)) as T };
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup.run();
    sim = undefined;
    state = undefined;
  });
  return {
    get sim(): S {
      if (sim === undefined) throw new Error('the simulator runs only inside a test');
      return sim;
    },
    get state(): T {
      if (state === undefined) throw new Error('the test state exists only inside a test');
      return state.value;
    },
    cleanup,
  };
}

/**
 * Opens test WebSocket clients with `open` (on the current test's simulator) and
 * closes every one after each test: a test only connects, whatever it asserts.
 */
export function useWsClients<A extends unknown[], C extends { close(): void }>(
  open: (...args: A) => Promise<C>,
): (...args: A) => Promise<C> {
  const clients: C[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  return async (...args: A): Promise<C> => {
    const c = await open(...args);
    clients.push(c);
    return c;
  };
}
