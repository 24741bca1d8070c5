const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'bittrex:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
});
