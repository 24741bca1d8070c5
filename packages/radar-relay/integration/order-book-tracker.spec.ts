// Seed requirement "order book tracker test": the Radar Relay connector against its simulator
// on 127.0.0.1 over the local chain, through the shared conformance suite
// (book checks). Checks the connector's capabilities declare unsupported are
// skipped with the reason in their title.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { radarRelayConformanceHarness } from '../src/testing/radar-relay-conformance-harness.js';

defineConformanceSuite(radarRelayConformanceHarness(), { groups: ['book'] });
