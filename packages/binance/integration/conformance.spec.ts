// The @hb/testing conformance suite against the Binance connector and its simulator.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { binanceConformanceHarness } from '../src/testing/binance-conformance-harness.js';

defineConformanceSuite(binanceConformanceHarness(), { timeoutMs: 30_000 });
