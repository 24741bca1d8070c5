// The @hb/testing conformance suite against the Huobi connector and its simulator,
// hostile-frame checks included (the harness builds Huobi's hostile frames).
import { defineConformanceSuite } from '@hb/testing/conformance';
import { huobiConformanceHarness } from '../src/testing/huobi-conformance-harness.js';

defineConformanceSuite(huobiConformanceHarness(), { timeoutMs: 30_000 });
