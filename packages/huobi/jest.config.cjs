const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'huobi:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
});
