import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { localStackPrograms } from './local-stack.js';

const ROOT = process.cwd();

/** The api's command line everywhere it is started: npm run up, the Docker image, docker-compose and bench:query. */
describe('the api starts with the same V8 flags everywhere', () => {
  const [upApi] = localStackPrograms({
    root: ROOT,
    stateDir: '/nonexistent',
    host: '127.0.0.1',
    apiPort: 0,
    workerPort: 0,
    prometheusPort: 0,
    alertmanagerPort: 0,
    withPrometheus: false,
  }).filter((program) => program.name === 'api');
  const upArgs = upApi.args;

  it('gives the api its own young-generation size on its command line (which wins over NODE_OPTIONS)', () => {
    expect(upArgs.at(-1)).toBe('dist/apps/api/src/main.js');
    expect(upArgs.some((arg) => arg.startsWith('--max-semi-space-size='))).toBe(true);
  });

  it('the Dockerfile CMD and docker-compose.yml api command match npm run up', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))![1];
    expect(JSON.parse(cmd)).toEqual(['node', ...upArgs]);
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: { api: { command: string[] } } };
    expect(compose.services.api.command).toEqual(['node', ...upArgs]);
  });

  it('bench:query starts the api with the same flags', () => {
    const bench = readFileSync(join(ROOT, 'bench/query.mjs'), 'utf8');
    const flags = upArgs.slice(0, -1);
    expect(/const API_NODE_FLAGS = (\[.*\]);/.exec(bench)![1].replaceAll("'", '"')).toBe(JSON.stringify(flags));
  });
});
