import { z } from 'zod';
import { defineConfigSlice } from './config-slice.js';
import { ConfigError, configVariables, loadConfig } from './load-config.js';
import { positiveInt } from './env-schemas.js';

const alpha = defineConfigSlice({
  key: 'alpha',
  variables: { ALPHA_URL: z.string().url(), ALPHA_SIZE: positiveInt.default(3) },
  build: (env) => ({ url: env.ALPHA_URL, size: env.ALPHA_SIZE }),
});
const beta = defineConfigSlice({
  key: 'beta',
  variables: { BETA_MIN: positiveInt.default(1), BETA_MAX: positiveInt.default(2) },
  checks: [{ variable: 'BETA_MIN', message: 'must not exceed BETA_MAX', holds: (env) => env.BETA_MIN <= env.BETA_MAX }],
  build: (env) => ({ min: env.BETA_MIN, max: env.BETA_MAX }),
});

describe('composing config slices', () => {
  it('builds each slice under its key, defaults applied', () => {
    expect(loadConfig([alpha, beta], { ALPHA_URL: 'http://a' })).toEqual({ alpha: { url: 'http://a', size: 3 }, beta: { min: 1, max: 2 } });
  });

  it('names the bad variables and failed checks of every slice in one error', () => {
    expect(() => loadConfig([alpha, beta], { ALPHA_SIZE: '0', BETA_MIN: '5' })).toThrow(ConfigError);
    try {
      loadConfig([alpha, beta], { ALPHA_SIZE: '0', BETA_MIN: '5' });
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['ALPHA_SIZE', 'ALPHA_URL', 'BETA_MIN']);
    }
  });

  it('refuses two slices that declare the same variable, before reading any', () => {
    const intruder = defineConfigSlice({
      key: 'intruder',
      variables: { ALPHA_SIZE: positiveInt.default(4) },
      build: (env) => env.ALPHA_SIZE,
    });
    expect(() => loadConfig([alpha, intruder], { ALPHA_URL: 'http://a' })).toThrow(/"alpha" and "intruder" both declare ALPHA_SIZE/);
  });

  it('refuses two slices under the same key', () => {
    const twin = defineConfigSlice({ key: 'alpha', variables: { GAMMA: z.string().default('g') }, build: (env) => env.GAMMA });
    expect(() => loadConfig([alpha, twin], { ALPHA_URL: 'http://a' })).toThrow(/slice key alpha/);
  });

  it('counts a slice listed twice once (an app and its libs may both name it)', () => {
    expect(configVariables([alpha, beta, alpha])).toEqual(['ALPHA_URL', 'ALPHA_SIZE', 'BETA_MIN', 'BETA_MAX']);
    expect(loadConfig([alpha, alpha], { ALPHA_URL: 'http://a' })).toEqual({ alpha: { url: 'http://a', size: 3 } });
  });
});
