// `@hb/binance/testing`: the Binance spot simulator (loopback REST, market streams and
// WebSocket API speaking Binance's wire protocol) for integration tests and `hb demo`.

export {
  BinanceSimulator,
  type BinanceSimActivity,
  type BinanceSimActivityOptions,
  type OutageHandle,
  type SimRequestLogEntry,
} from './binance-simulator.js';
export * from './binance-sim-types.js';
export { DEFAULT_BINANCE_SIM_LIMITS, type BinanceSimLimits } from './binance-sim-weights.js';
export { BinanceSimExchange, type SimMarketState } from './binance-sim-exchange.js';
export { WS_API_PATH, type UserStreamSubscriptionInfo } from './binance-sim-ws-api.js';
export { BinanceSimError } from './binance-sim-errors.js';
export {
  binanceConformanceHarness,
  binanceTestMarketOptions,
  type BinanceConformanceEnvironment,
  type BinanceConformanceHarness,
  type BinanceConformanceHarnessOptions,
} from './binance-conformance-harness.js';
export { startSandbox, type BinanceSandbox, type BinanceSandboxOptions } from './binance-sandbox.js';
