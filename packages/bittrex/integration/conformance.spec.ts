// The @hb/testing conformance suite against the Bittrex connector and its simulator.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { bittrexConformanceHarness } from '../src/testing/bittrex-conformance-harness.js';

defineConformanceSuite(bittrexConformanceHarness(), { timeoutMs: 30_000 });
