// A Jest reporter that records pass/fail/skip counts to a file, so that
// tools/scripts/run-tests.mjs can total them over every project and print the
// single `N passed, N failed, N skipped` line CI reads.
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig, options) {
    this.options = options || {};
  }
  onRunComplete(_contexts, results) {
    const dir = process.env.HB_TEST_REPORT_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const name = `${this.options.name || 'project'}-${process.pid}.json`;
    // A suite that failed to load (syntax error, throw at import) has no failing test.
    const brokenSuites = results.testResults.filter(
      (r) => r.testExecError || (r.failureMessage && r.numFailingTests === 0),
    ).length;
    fs.writeFileSync(
      path.join(dir, name),
      JSON.stringify({
        name: this.options.name,
        passed: results.numPassedTests,
        failed: results.numFailedTests + brokenSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suitesFailed: results.numFailedTestSuites,
      }),
    );
  }
}

module.exports = CountReporter;
