// A short fixed-seed soak of each connector, so `npm test` runs the soak's real
// path: faults of every kind, hostile frames, orders, fills, and the final
// comparison with the simulator. The 10,000-fault runs are `npm run soak`.
import { SOAK_EXCHANGES, formatSoakReport, runSoak, soakPassed } from '../soak/soak.js';

describe('soak smoke', () => {
  for (const exchange of SOAK_EXCHANGES) {
    it(`${exchange}: 120 seeded faults, nothing lost, doubled or diverged`, async () => {
      const report = await runSoak({ exchange, faults: 120, seed: 7 });
      const lines = formatSoakReport(report).join('\n');
      expect(report.faultsInjected).toBeGreaterThanOrEqual(120);
      expect({ passed: soakPassed(report), lines }).toEqual({ passed: true, lines });
    }, 90_000);
  }
});
