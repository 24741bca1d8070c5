// @hb/radar-relay/testing: the RadarRelay simulator and the conformance harness.
export { RadarRelaySimulator, type RadarRelaySimulatorOptions } from './radar-relay-simulator.js';
export { radarRelayConformanceHarness } from './radar-relay-conformance-harness.js';
