import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Jest runs from the repository root.
const FIXTURES = join(process.cwd(), 'libs/log-formats/src/fixtures');

/** A fixture as the spec reads it: NDJSON files line by line, JSON files whole. */
export function fixture(name: string): unknown {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  if (!name.endsWith('.ndjson')) return JSON.parse(text);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
