const { preset } = require('../jest.preset.js');

module.exports = preset(__dirname, {
  displayName: 'tools',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  reporters: ['default', [require.resolve('./scripts/jest-count-reporter.cjs'), { name: 'tools:test' }]],
});
