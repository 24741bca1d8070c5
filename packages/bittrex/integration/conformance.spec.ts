// The @hb/testing conformance suite against the Bittrex connector and its simulator.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { bittrexConformanceHarness } from '../src/testing/bittrex-conformance-harness.js';

// The hostile-frame checks (issue 11) need the harness to build hostile frames in
// this exchange's wire format (`hostileFrames`, see @hb/testing hostile-checks.ts).
const NO_HOSTILE_FRAMES_YET = 'the harness builds no hostile frames yet (hostileFrames, issue 11)';

defineConformanceSuite(bittrexConformanceHarness(), {
  timeoutMs: 30_000,
  skip: {
    'wire: hostile market frames (negative, huge, NaN, empty, wrong-typed, inverted, unknown) never reach the book':
      NO_HOSTILE_FRAMES_YET,
    'wire: hostile fills (negative, huge, NaN, wrong-typed, more than the order) never become OrderFilled or a completion':
      NO_HOSTILE_FRAMES_YET,
  },
});
