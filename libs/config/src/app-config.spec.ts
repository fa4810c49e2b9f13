import { ConfigError, loadConfig } from './app-config.js';

const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

describe('loadConfig', () => {
  it('applies defaults into a nested typed object', () => {
    const config = loadConfig(base);
    expect(config.http.apiPort).toBe(3000);
    expect(config.ingest.jobBatchSize).toBe(1000);
    expect(config.database.url).toBe(base.DATABASE_URL);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ API_PORT: 'abc', INGEST_JOB_BATCH_SIZE: '0' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const names = (e as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'API_PORT', 'INGEST_JOB_BATCH_SIZE']));
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...base, API_PORT: '' }).http.apiPort).toBe(3000);
  });
});
