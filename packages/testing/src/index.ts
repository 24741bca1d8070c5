// The public surface of @hb/testing: the simulator toolkit every exchange
// simulator is built on, and the conformance suite every connector runs.
export * from './util/prng.js';
export * from './clock/sim-clock.js';
export * from './engine/engine-types.js';
export * from './engine/fee-schedule.js';
export * from './engine/balance-ledger.js';
export * from './engine/matching-engine.js';
export * from './server/http-types.js';
export * from './server/router.js';
export * from './server/http-server.js';
export * from './server/ws-server.js';
export * from './faults/fault-types.js';
export * from './faults/frame-plan.js';
export * from './faults/fault-injector.js';
export * from './activity/market-activity.js';
export * from './conformance/conformance-failure.js';
export * from './conformance/conformance-types.js';
export * from './conformance/event-log.js';
export * from './conformance/conformance-checks.js';
export * from './conformance/harness-kit.js';
export * from './simulator/simulator-types.js';
export * from './simulator/simulator-base.js';
export * from './simulator/sim-exchange-base.js';
export * from './simulator/sim-rate-limits.js';
export * from './simulator/simulator-sandbox.js';
export * from './util/test-helpers.js';
export * from './util/test-clients.js';
export * from './util/fixtures.js';
export * from './util/secret-renderings.js';
export * from './util/live-checks.js';
export * from './util/tracker-checks.js';
// defineConformanceSuite registers Jest tests, so it lives at '@hb/testing/conformance':
// the main entry must load outside Jest (simulators in `hb demo`).
export * from './util/mask-secrets.js';
export * from './conformance/hostile-checks.js';
export * from './conformance/hostile-frames-kit.js';
export * from './conformance/wire-properties.js';
