// `@hb/huobi/testing`: the Huobi simulator (loopback REST, gzip market sockets with
// MBP chains, the v2 account stream) for integration tests, the conformance
// harness and `hb demo` / `--sandbox`.
export { HuobiSimulator } from './huobi-simulator.js';
export * from './huobi-sim-types.js';
export {
  HuobiSimExchange,
  HuobiSimError,
  huobiState,
  type HuobiSimMarket,
  type HuobiSimOrderMeta,
} from './huobi-sim-exchange.js';
export { HuobiSimMarketSockets, mbpStream, tradeStream } from './huobi-sim-market-ws.js';
export { HuobiSimAccountSockets } from './huobi-sim-account-ws.js';
export {
  HUOBI_SIM_AUTH_MSG,
  verifyRestSignature,
  verifyWsV2Auth,
  decodeQueryPairs,
} from './huobi-sim-auth.js';
export { startSandbox, type HuobiSandbox, type HuobiSandboxOptions } from './huobi-sandbox.js';
export {
  huobiConformanceHarness,
  huobiTestMarketOptions,
  type HuobiConformanceEnvironment,
  type HuobiConformanceHarness,
  type HuobiConformanceHarnessOptions,
} from './huobi-conformance-harness.js';
export {
  huobiHostileAccountFrames,
  huobiHostileFrames,
  huobiHostileMarketFrame,
  huobiHostileWire,
} from './huobi-hostile-frames.js';
