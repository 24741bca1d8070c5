const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'binance:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
});
