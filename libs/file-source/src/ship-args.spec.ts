import { resolve } from 'node:path';
import { parseShipArgs } from './ship-args.js';

describe('parseShipArgs', () => {
  it('reads the file, the format with its generic parameters, and defaults the rest', () => {
    const args = parseShipArgs(
      ['--file', 'logs/api.json', '--format', 'generic', '--param', 'map.requestId=req_id', '--param', 'durationUnit=s'],
      'http://localhost:3161',
    );
    expect(args).toMatchObject({
      file: resolve('logs/api.json'),
      formatQuery: { format: 'generic', 'map.requestId': 'req_id', durationUnit: 's' },
      sink: 'http',
      url: 'http://localhost:3161/',
      progressSeconds: 10,
    });
    expect(args.checkpoint).toMatch(/\.local\/ship\/api\.json-[0-9a-f]{12}\.json$/);
  });

  it('refuses a missing file or format, an unknown option, a bad sink or count, with the usage', () => {
    expect(() => parseShipArgs(['--format', 'nginx'], 'http://x')).toThrow(/--file and --format are required\nusage:/);
    expect(() => parseShipArgs(['--file', 'a', '--format', 'nginx', '--key', 'k'], 'http://x')).toThrow(/unknown option --key/);
    expect(() => parseShipArgs(['--file', 'a', '--format', 'nginx', '--sink', 'kafka'], 'http://x')).toThrow(
      /--sink must be http or queue/,
    );
    expect(() => parseShipArgs(['--file', 'a', '--format', 'nginx', '--batch', '0'], 'http://x')).toThrow(/positive whole number/);
    expect(() => parseShipArgs(['--file', 'a', '--format', 'nginx', '--param', 'format=x'], 'http://x')).toThrow(
      /--param takes NAME=VALUE/,
    );
  });
});
