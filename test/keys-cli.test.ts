import { anonymousHttp } from './support/http.js';
import { ensureBuilt } from './support/build.js';
import { runNode } from './support/child-process.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const KEYS_CLI = 'dist/apps/cli/src/keys.js';
/** Each CLI run starts node and Prisma's WASM query compiler (seconds on a loaded 2-core machine); a test runs up to five. */
const CLI_TEST_MS = 120_000;

describe('npm run keys (the real CLI, spawned)', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    ensureBuilt();
    // No key cache: a revocation must show on the very next request here.
    pipeline = await startPipeline(testConfig({ AUTH_CACHE_SECONDS: '0' }), { worker: false });
  }, 60_000);
  afterAll(() => pipeline.close());

  it(
    'creates a key (printed once), lists it, and revokes it; the api honours each step',
    async () => {
      const name = `cli-test-${Date.now()}`;
      const created = await runNode(KEYS_CLI, ['create', '--name', name, '--scopes', 'logs:read'], {});
      expect(created.code).toBe(0);
      const key = /^key:\s+(vlk_\S+)$/m.exec(created.stdout)![1];
      const id = /^id:\s+(key_\S+)$/m.exec(created.stdout)![1];
      expect(key).toHaveLength(4 + 43);

      const server = pipeline.api.getHttpServer();
      await anonymousHttp(server).get('/v1/requests/req_cli_unknown').set('X-API-Key', key).expect(404);
      await anonymousHttp(server).post('/v1/logs').set('X-API-Key', key).send(makeRecords(1)).expect(403);

      const listed = await runNode(KEYS_CLI, ['list'], {});
      expect(listed.code).toBe(0);
      expect(listed.stdout.split('\n')[0]).toBe('id\tname\tscopes\tcreated\tstatus');
      expect(listed.stdout).toMatch(new RegExp(`^${id}\\t${name}\\tlogs:read\\t\\S+\\tactive$`, 'm'));
      expect(listed.stdout).not.toContain(key);

      const revoked = await runNode(KEYS_CLI, ['revoke', id], {});
      expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
      await anonymousHttp(server).get('/v1/requests/req_cli_unknown').set('X-API-Key', key).expect(401);
      expect((await runNode(KEYS_CLI, ['list'], {})).stdout).toMatch(new RegExp(`^${id}\\t.*\\trevoked \\S+$`, 'm'));
    },
    CLI_TEST_MS,
  );

  it(
    '--key-only prints the key alone on stdout, so it can be piped into a variable',
    async () => {
      const created = await runNode(KEYS_CLI, ['create', '--name', `cli-pipe-${Date.now()}`, '--scopes', 'logs:read', '--key-only'], {});
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^vlk_\S{43}\n$/);
      expect(created.stderr).toMatch(/^created key_\S+ \(cli-pipe-\d+, logs:read\)/);
      await anonymousHttp(pipeline.api.getHttpServer())
        .get('/v1/requests/req_cli_unknown')
        .set('X-API-Key', created.stdout.trim())
        .expect(404);
    },
    CLI_TEST_MS,
  );

  it(
    'refuses unknown scopes and bad usage with exit status 2, and unknown ids with 1',
    async () => {
      const bad = await runNode(KEYS_CLI, ['create', '--name', 'x', '--scopes', 'logs:read,root'], {});
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('root');
      expect((await runNode(KEYS_CLI, ['frobnicate'], {})).code).toBe(2);
      expect((await runNode(KEYS_CLI, ['revoke', 'key_does_not_exist'], {})).code).toBe(1);
    },
    CLI_TEST_MS,
  );
});
