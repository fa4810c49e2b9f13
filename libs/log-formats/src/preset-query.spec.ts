import { InvalidInput } from '#libs/errors';
import { MAX_MAP_PATH_DEPTH, MAX_QUERY_PARAMETERS, selectFormat } from './preset-query.js';

function refusal(query: Record<string, unknown>): Record<string, unknown> {
  try {
    selectFormat(query);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput);
    return (err as InvalidInput).details;
  }
  throw new Error('selectFormat accepted the query');
}

describe('selectFormat', () => {
  it('defaults to the Verilock record, with no mapper', () => {
    expect(selectFormat({})).toEqual({ format: 'verilock' });
    expect(selectFormat({ format: 'verilock' })).toEqual({ format: 'verilock' });
  });

  it('gives each preset its mapper', () => {
    for (const format of ['nginx', 'envoy', 'kong', 'generic']) {
      expect(selectFormat({ format })).toEqual({ format, mapper: expect.any(Function) });
    }
  });

  it('names the allowed values for an unknown format, and refuses a repeated one', () => {
    expect(refusal({ format: 'apache' })).toEqual({ format: ['must be one of verilock, nginx, envoy, kong, generic'] });
    expect(refusal({ format: ['nginx', 'kong'] })).toEqual({ format: ['must be given once'] });
  });

  it('refuses unknown parameters, and generic ones without format=generic', () => {
    expect(refusal({ format: 'nginx', foo: '1', 'map.status': 'code' })).toEqual({
      foo: ['is not a known parameter'],
      'map.status': ['is not a known parameter (only with format=generic)'],
    });
    expect(refusal({ format: 'generic', 'map.colour': 'c' })).toEqual({
      'map.colour': [expect.stringContaining('is not a known parameter (map.<field> takes one of requestId, timestamp,')],
    });
  });

  it('bounds the field map: path depth, empty keys, units, parameter count', () => {
    const deep = Array.from({ length: MAX_MAP_PATH_DEPTH + 1 }, (_, i) => `k${i}`).join('.');
    expect(refusal({ format: 'generic', 'map.status': deep, 'map.path': 'a..b', durationUnit: 'us' })).toEqual({
      'map.status': [expect.stringContaining(`at most ${MAX_MAP_PATH_DEPTH} non-empty keys`)],
      'map.path': [expect.stringContaining('non-empty keys')],
      durationUnit: ['must be one of s, ms'],
    });
    const many = Object.fromEntries(Array.from({ length: MAX_QUERY_PARAMETERS + 1 }, (_, i) => [`p${i}`, 'x']));
    expect(refusal(many)).toEqual({ query: [`must have at most ${MAX_QUERY_PARAMETERS} parameters`] });
  });
});
