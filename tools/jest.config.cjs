const { preset } = require('../jest.preset.js');

module.exports = preset(__dirname, 'tools:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
});
