// The @hb/testing conformance suite against the Bittrex connector and its simulator,
// hostile-frame checks included (the harness builds Bittrex's hostile frames).
import { defineConformanceSuite } from '@hb/testing/conformance';
import { bittrexConformanceHarness } from '../src/testing/bittrex-conformance-harness.js';

defineConformanceSuite(bittrexConformanceHarness(), { timeoutMs: 30_000 });
