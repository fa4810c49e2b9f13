import { readdirSync, readFileSync } from 'node:fs';

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
}

/**
 * nest-cli.json stays true to the repo: every folder under apps/ is an application project and every
 * folder under libs/ a library project (same name, root and sourceRoot), and it lists nothing else.
 */
describe('nest-cli.json', () => {
  const projects = (JSON.parse(readFileSync('nest-cli.json', 'utf8')) as { projects: Record<string, NestProject> }).projects;
  const folders = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  const expected = [
    ...folders('apps').map((name) => [name, { type: 'application', root: `apps/${name}`, sourceRoot: `apps/${name}/src` }] as const),
    ...folders('libs').map((name) => [name, { type: 'library', root: `libs/${name}`, sourceRoot: `libs/${name}/src` }] as const),
  ];

  it.each(expected)('lists %s', (name, project) => {
    expect(projects[name]).toMatchObject(project);
  });

  it('lists no project without its folder', () => {
    expect(Object.keys(projects).sort()).toEqual(expected.map(([name]) => name).sort());
  });
});
