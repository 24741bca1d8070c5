// @hb/radar-relay/testing: the Radar Relay simulator (a 0x v3 relayer on 127.0.0.1
// over a local chain with the real Exchange), its simulated traders, the sandbox
// for `hb --sandbox` / `hb demo` and the integration tests, and the conformance harness.
export {
  RadarRelaySimulator,
  unitsOf,
  type RadarRelaySimulatorOptions,
  type RadarSimPublished,
  type RadarSimRequestLogEntry,
} from './radar-relay-simulator.js';
export * from './radar-relay-sim-types.js';
export {
  RADAR_SIM_ACCOUNTS,
  MAINNET_PROTOCOL_FEE_MULTIPLIER,
  approveProxy,
  deployRadarContracts,
  fundAccount,
  type RadarDeployOptions,
  type RadarFunding,
  type RadarSimDeployment,
  type RadarSimToken,
} from './radar-relay-sim-chain.js';
export {
  RadarSimOrder,
  RadarSimOrderStore,
  type RadarSimFillRecord,
  type RadarSimMarket,
} from './radar-relay-sim-orders.js';
export {
  ORDER_STATUS,
  contractOrderInfo,
  erc20TokenOf,
  orderTuple,
  validateOrder,
  type ContractOrderInfo,
  type OrderValidation,
  type RadarSimOrderRules,
} from './radar-relay-sim-validation.js';
export { RadarSimChainWatcher, type RadarSimRemoveReason } from './radar-relay-sim-watcher.js';
export { RADAR_SIM_REST_PREFIX } from './radar-relay-sim-rest.js';
export { RadarSimSockets, bookStream, type RadarSimWsReply } from './radar-relay-sim-ws.js';
export { startRpcServer, type RadarSimRpcServer } from './radar-relay-sim-rpc.js';
export {
  RadarSimActivity,
  RadarSimRefusal,
  RadarSimTrader,
  packZeroExSignature,
  takerAmountFor,
  type RadarSignOrderOptions,
  type RadarSignatureScheme,
  type RadarSimActivityOptions,
} from './radar-relay-sim-traders.js';
export {
  startSandbox,
  type RadarRelaySandbox,
  type RadarRelaySandboxOptions,
} from './radar-relay-sandbox.js';
export {
  RADAR_WRONG_PRIVATE_KEY,
  radarRelayConformanceHarness,
  radarRelayTestMarketOptions,
  randomPrivateKey,
  type RadarRelayConformanceEnvironment,
  type RadarRelayConformanceHarness,
  type RadarRelayConformanceHarnessOptions,
} from './radar-relay-conformance-harness.js';
