// `@hb/bittrex/testing`: the Bittrex v3 simulator (loopback REST and classic
// SignalR speaking Bittrex's wire protocol) for integration tests and `hb demo`.
export { BittrexSimulator } from './bittrex-simulator.js';
export * from './bittrex-sim-types.js';
export {
  BittrexSimExchange,
  BittrexSimError,
  SIM_DEPTHS,
  simUuid,
  type SimDepth,
  type SimMarketState,
} from './bittrex-sim-exchange.js';
export { BittrexSimHub, type SimHubOptions } from './bittrex-sim-hub.js';
export { createBittrexRestRouter, type BittrexRestOptions } from './bittrex-sim-rest.js';
export {
  bittrexConformanceHarness,
  bittrexTestMarketOptions,
  startTestSimulator,
  TEST_REQUESTS_PER_MINUTE,
  type BittrexConformanceEnvironment,
  type BittrexConformanceHarness,
  type BittrexConformanceHarnessOptions,
} from './bittrex-conformance-harness.js';
export { startSandbox, type BittrexSandbox, type BittrexSandboxOptions } from './bittrex-sandbox.js';
export type { OutageHandle, SimRequestLogEntry } from '@hb/testing';
export {
  bittrexBookStream,
  bittrexHostileExecutionFrame,
  bittrexHostileFrames,
  bittrexHostileMarketFrame,
  bittrexHostileUserFrames,
} from './bittrex-hostile-frames.js';
