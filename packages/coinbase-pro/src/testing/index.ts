// `@hb/coinbase-pro/testing`: the Coinbase Exchange simulator (loopback REST and
// WebSocket feed speaking Coinbase's wire protocol) for integration tests, the
// conformance harness and `hb demo` / `--sandbox`.

export {
  CoinbaseProSimulator,
  type CoinbaseOutageHandle,
  type CoinbaseSimActivity,
  type CoinbaseSimActivityOptions,
  type CoinbaseSimRequestLogEntry,
  type CoinbaseTrueL3Book,
} from './coinbase-pro-simulator.js';
export * from './coinbase-pro-sim-types.js';
export { CoinbaseSimExchange, isValidClientOid, type SimProductState } from './coinbase-pro-sim-exchange.js';
export { FEED_CHANNELS, type FeedChannel, type FeedSubscriptionInfo } from './coinbase-pro-sim-feed.js';
export { COINBASE_SIM_MSG, CoinbaseSimError } from './coinbase-pro-sim-errors.js';
export { coinbaseSignature } from './coinbase-pro-sim-auth.js';
export {
  startSandbox,
  type CoinbaseProSandbox,
  type CoinbaseProSandboxOptions,
} from './coinbase-pro-sandbox.js';
export {
  coinbaseProConformanceHarness,
  coinbaseProTestMarketOptions,
  type CoinbaseProConformanceEnvironment,
  type CoinbaseProConformanceHarness,
  type CoinbaseProConformanceHarnessOptions,
} from './coinbase-pro-conformance-harness.js';
