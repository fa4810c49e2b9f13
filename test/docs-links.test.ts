import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The README is the front door and docs/ the reference: every relative link between them must land on
 * a file of this repository (and on a heading, when it names one), and the README stays small.
 */
const ROOT = process.cwd();
const README_MAX_BYTES = 12 * 1024;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The text outside fenced code blocks and inline code, where a `](…)` is an example, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

interface Link {
  file: string;
  target: string;
}

function relativeLinks(file: string): Link[] {
  const links = [...prose(readFileSync(file, 'utf8')).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  return links.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target)).map((target) => ({ file, target }));
}

function problem({ file, target }: Link): string | null {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  if (path.startsWith('/')) return 'absolute path';
  const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (relative(ROOT, resolved).startsWith('..')) return 'leaves the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) return 'no such heading';
  return null;
}

describe('README.md and docs/', () => {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

  it('link only to files (and headings) that exist in this repository', () => {
    const links = files.flatMap(relativeLinks);
    expect(links.length).toBeGreaterThan(50);
    const broken = links.flatMap((link) => {
      const why = problem(link);
      return why ? [`${relative(ROOT, link.file)}: ${link.target} (${why})`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('leave no page of docs/ unreachable: each is linked from another page', () => {
    const linked = new Set(
      files.flatMap((file) =>
        relativeLinks(file)
          .map((link) => resolve(dirname(file), decodeURIComponent(link.target.split('#')[0])))
          .filter((target) => target !== file),
      ),
    );
    expect(files.filter((file) => !file.endsWith('README.md') && !linked.has(file)).map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('hold a runbook section for every runbook link of the alert rules', () => {
    const rules = readFileSync(join(ROOT, 'prometheus/rules/alerts.rules.yml'), 'utf8');
    const runbookLinks = [...rules.matchAll(/^\s*runbook:\s*(\S+)\s*$/gm)].map((m) => ({ file: join(ROOT, 'README.md'), target: m[1] }));
    expect(runbookLinks.length).toBeGreaterThan(5);
    expect(runbookLinks.filter((link) => problem(link) !== null).map((link) => link.target)).toEqual([]);
  });

  it('never point outside the repository, even in code or plain text', () => {
    const outside = files.filter((file) => /\.\.\/shared|\/work\/shared/.test(readFileSync(file, 'utf8')));
    expect(outside.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('keep the README a front door (at most 12 KB)', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });
});
