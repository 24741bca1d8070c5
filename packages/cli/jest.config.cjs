const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'cli:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
});
