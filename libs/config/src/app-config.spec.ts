import { readFileSync } from 'node:fs';
import { ALL_CONFIG_SLICES } from '../../../test/support/test-env.js';
import { ConfigError, configVariables, loadConfig } from './index.js';

/** Where the configuration table lives: the section under `heading` in `file` (relative to this spec). */
const CONFIGURATION_TABLE = { file: '../../../docs/configuration.md', heading: '## Variables' };

/** The service's configuration, composed of every slice of the api and the worker. */
const load = (env: Record<string, string>) => loadConfig(ALL_CONFIG_SLICES, env);
const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

describe('loadConfig', () => {
  it('applies defaults into a nested typed object', () => {
    const config = load(base);
    expect(config.http.apiPort).toBe(3000);
    expect(config.producer.jobBatchSize).toBe(1000);
    expect(config.database.url).toBe(base.DATABASE_URL);
  });

  it('names every bad variable at once', () => {
    try {
      load({ API_PORT: 'abc', INGEST_JOB_BATCH_SIZE: '0' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const names = (e as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'API_PORT', 'INGEST_JOB_BATCH_SIZE']));
    }
  });

  it('treats empty variables as unset', () => {
    expect(load({ ...base, API_PORT: '' }).http.apiPort).toBe(3000);
  });

  it('requires CLIENT_IP_HASH_KEY when client IPs are hashed, and parses the auth and redaction lists', () => {
    expect(() => load({ ...base, CLIENT_IP_MODE: 'hash' })).toThrow(/CLIENT_IP_HASH_KEY/);
    const config = load({
      ...base,
      CLIENT_IP_MODE: 'hash',
      CLIENT_IP_HASH_KEY: 'k'.repeat(32),
      AUTH_PUBLIC_PATHS: '/docs, /support ,',
      REDACT_FIELDS: 'password,token',
    });
    expect(config.redaction).toEqual({ fields: ['password', 'token'], clientIpMode: 'hash', clientIpHashKey: 'k'.repeat(32) });
    expect(config.auth.publicPaths).toEqual(['/docs', '/support']);
    expect(config.auth.bootstrapAdminKey).toBeUndefined();
  });
});

describe('HTTP server limits and the trusted proxies', () => {
  it("defaults to trusting no proxy, with timeouts shorter than Node's", () => {
    expect(load(base).http).toMatchObject({
      trustProxy: false,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
    });
  });

  it("reads TRUST_PROXY in Express's forms and refuses anything else", () => {
    const trust = (value: string) => load({ ...base, TRUST_PROXY: value }).http.trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8,192.0.2.1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.0/8/1', 'example.com']) expect(() => trust(bad)).toThrow(/TRUST_PROXY/);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => load({ ...base, HTTP_HEADERS_TIMEOUT_MS: '70000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});

describe('the configuration table', () => {
  it('documents every environment variable the service reads', () => {
    const text = readFileSync(new URL(CONFIGURATION_TABLE.file, import.meta.url), 'utf8');
    const start = text.indexOf(CONFIGURATION_TABLE.heading);
    expect(start).toBeGreaterThan(-1);
    const end = text.indexOf('\n## ', start + 1);
    const table = text.slice(start, end === -1 ? undefined : end);
    const documented = new Set(
      [...table.matchAll(/^\|([^|]*)\|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((v) => v[1])),
    );
    const variables = configVariables(ALL_CONFIG_SLICES);
    expect(variables.length).toBeGreaterThan(30);
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });
});
