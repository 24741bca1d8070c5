const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'ethereum:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
});
