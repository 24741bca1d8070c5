// Seed requirement "user stream tracker test": the RadarRelay connector against its simulator
// on 127.0.0.1, through the shared conformance suite (user stream checks). Add the
// exchange's own cases below the suite.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { radarRelayConformanceHarness } from '../src/testing/radar-relay-conformance-harness.js';

// Work in progress (issue 16): the simulator (helper radarsim) and the connector (helper radar) are
// being written; the suite is switched on when both land. Until then a visible todo, not a silent skip.
const READY = true;
if (READY) defineConformanceSuite(radarRelayConformanceHarness(), { groups: ['user stream'] });
else it.todo('radar-relay user stream conformance: in progress (issue 16)');
