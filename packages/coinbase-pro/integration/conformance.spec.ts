// The @hb/testing conformance suite against the Coinbase Pro connector and its simulator.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { coinbaseProConformanceHarness } from '../src/testing/coinbase-pro-conformance-harness.js';

defineConformanceSuite(coinbaseProConformanceHarness(), { timeoutMs: 30_000 });
