const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'radar-relay:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  passWithNoTests: true,
});
