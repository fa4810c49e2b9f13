import { DomainError, InvalidInput, NotFound, RateLimited, Unavailable } from './index.js';

describe('domain errors', () => {
  it('are Errors named after their class, with a stable code and no HTTP status', () => {
    const error = new NotFound('No failed batch with id "7".', { id: '7' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('NotFound');
    expect(error.code).toBe('not_found');
    expect(error.details).toEqual({ id: '7' });
    expect(Object.keys(error)).not.toContain('status');
  });

  it('say "the given data was invalid" unless told otherwise, with per-field details', () => {
    const error = new InvalidInput({ limit: ['must be a whole number from 1 to 50'] });
    expect(error.message).toBe('The given data was invalid.');
    expect(error.details).toEqual({ limit: ['must be a whole number from 1 to 50'] });
  });

  it('put retry_after first in the details of errors a later retry may fix', () => {
    const unavailable = new Unavailable('Backlog full.', 2, { pending: 9 });
    expect(unavailable.retryAfterSeconds).toBe(2);
    expect(Object.entries(unavailable.details)).toEqual([
      ['retry_after', 2],
      ['pending', 9],
    ]);
    const limited = new RateLimited(30, { limit: 100, bucket: 'query' });
    expect(limited.message).toBe('Too many requests. Please retry after 30 seconds.');
    expect(Object.keys(limited.details)).toEqual(['retry_after', 'limit', 'bucket']);
  });
});
