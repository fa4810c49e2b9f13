import { InvalidInput } from '#libs/errors';
import { QueryParams } from './query-params.js';

/** The details of the InvalidInput (422 over HTTP) that done() throws, or undefined when it does not throw. */
function detailsOf(params: QueryParams): Record<string, unknown> | undefined {
  try {
    params.done();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).code).toBe('validation_error');
    return (err as InvalidInput).details;
  }
}

/** A query object as Express's simple parser builds it: no prototype, so `__proto__` is an own key. */
function query(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null), entries);
}

describe('QueryParams', () => {
  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])('names an unknown parameter %s like any other', (name) => {
    const raw: Record<string, unknown> = Object.create(null);
    raw[name] = '1';
    const details = detailsOf(new QueryParams(raw, ['from']));
    expect(Object.keys(details!)).toEqual([name]);
    expect(details![name]).toEqual(['is not a known parameter']);
  });

  it('never reads a value inherited from Object.prototype', () => {
    const params = new QueryParams({}, ['toString', 'constructor']);
    expect(params.string('toString')).toBeUndefined();
    expect(params.list('constructor')).toEqual([]);
    expect(detailsOf(params)).toBeUndefined();
  });

  it('refuses NUL, repeated single values and objects, each under its own name', () => {
    const params = new QueryParams(query({ errorCode: 'a\u0000b', status: ['500', '50\u00003'], from: ['x', 'y'], route: { a: 'b' } }), [
      'errorCode',
      'status',
      'from',
      'route',
    ]);
    expect(params.string('errorCode')).toBeUndefined();
    expect(params.statuses('status')).toEqual([]);
    expect(params.time('from')).toBeUndefined();
    expect(params.string('route')).toBeUndefined();
    expect(detailsOf(params)).toEqual({
      errorCode: ['must not contain NUL characters'],
      status: ['must not contain NUL characters'],
      from: ['must be given once, as a single value'],
      route: ['must be given once, as a single value'],
    });
  });

  it('keeps times within 1970 to 9999 (Postgres cannot hold every time JavaScript can)', () => {
    const params = new QueryParams({ from: '0000-01-01T00:00:00Z', to: '9999-06-01T00:00:00Z' }, ['from', 'to']);
    expect(params.time('from')).toBeUndefined();
    expect(params.time('to')).toBeUndefined();
    expect(Object.keys(detailsOf(params)!)).toEqual(['from', 'to']);
    expect(new QueryParams({ from: '2026-11-30T10:00:00+01:00' }, ['from']).time('from')).toEqual(new Date('2026-11-30T09:00:00Z'));
  });
});
