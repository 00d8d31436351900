// Unit specs sit beside the code (src/**/*.spec.ts); integration and end-to-end tests live in test/.
const swcOptions = require('./scripts/swc-options.cjs');

const esmOnly = [
  '@nestjs',
  'file-type',
  'load-esm',
  'uint8array-extras',
  'token-types',
  '@tokenizer',
  '@borewit',
  'strtok3',
  '@standard-schema',
  '@prisma/schema-engine-wasm',
  // The web client's Markdown renderer (lab instructions), ESM-only since v13.
  'marked',
  // Not ESM-only, but its CommonJS build loads Node built-ins with import(), which Jest refuses
  // without --experimental-vm-modules; compiled by SWC those calls become require().
  '@electric-sql/pglite',
];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/web/src'],
  // *.k3s-spec.ts (the k3s node image, absent here) run only through `npm run test:k3s`.
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swcOptions, sourceMaps: 'inline' }],
    '/@electric-sql/pglite/dist/.+\\.cjs$': ['@swc/jest', { ...swcOptions, sourceMaps: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^@shared/(.*)$': '<rootDir>/src/shared/$1' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
};
