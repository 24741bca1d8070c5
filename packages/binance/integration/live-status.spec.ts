// Truth at the edges, Binance (the shared live-status suite): every book says
// whether it is live. The suite covers a closed socket, a silent one and a depth
// stream that stops while the socket still answers pings (caught by checking the
// exchange's snapshot); a wrong key on the user stream is a conformance check.
// Binance's own: a refused SUBSCRIBE is a typed, fatal error for that pair alone
// (the suite's refused-subscription test, with Binance's error and timings).
import { stepActivityPerTurn } from '@hb/testing';
import { describeLiveStatusSuite } from '@hb/testing/suites';
import { binanceBookTrackers } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

describeLiveStatusSuite({
  ...binanceBookTrackers,
  pair: PAIR,
  // A refused SUBSCRIBE is a typed, fatal error for that pair alone.
  refusedSubscription: {
    what: 'SUBSCRIBE',
    pair: OTHER,
    refuse: (sim, pair) => sim.refuseSubscriptions(pair),
    step: (activity) => stepActivityPerTurn(activity, 10),
    error: { exchangeCode: 2 },
    message: /ethusdt@.* is not available/,
    // Binance's error replies mean a malformed request: no retry is sent.
    refusals: 1,
    retryGrace: {
      ms: 1_500,
      reason:
        "a retry would come within the stream's 20-200 ms reconnect backoff or the tracker's 0.5 s retry delay",
    },
    equalOnceLive: true,
  },
});
