// Jest runs in native ESM mode (NestJS 12 is ESM-only); @swc/jest strips types and keeps
// decorator metadata so Nest's dependency injection works in tests exactly as in the build.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

// ESM-only packages that CommonJS packages require() (Node >= 20.19 can; Jest's module loader cannot before
// Node 24.9): compiled to CommonJS for Jest alone. content-disposition 3 is required by @fastify/static.
const REQUIRED_ESM = ['content-disposition'];
const toCommonJs = { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } };

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(.+/)?(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['@swc/jest', toCommonJs],
  },
  transformIgnorePatterns: [`/node_modules/(?!(.+/)?(${REQUIRED_ESM.join('|')})/)`],
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  testTimeout: 30000,
};
