// The @hb/testing conformance suite against the Huobi connector and its simulator.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { huobiConformanceHarness } from '../src/testing/huobi-conformance-harness.js';

defineConformanceSuite(huobiConformanceHarness(), { timeoutMs: 30_000 });
