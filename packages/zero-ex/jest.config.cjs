const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, 'zero-ex:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
});
