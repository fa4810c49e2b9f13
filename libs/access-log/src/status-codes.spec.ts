import { statusClass, statusMeaning } from './status-codes.js';

describe('statusMeaning', () => {
  it('returns the conventions document wording for documented codes', () => {
    expect(statusMeaning(429)).toEqual({
      code: 429,
      name: 'Too Many Requests',
      description: 'You have exceeded the rate limit. Wait for the time specified in the Retry-After header before retrying.',
      documented: true,
    });
    expect(statusMeaning(503).name).toBe('Service Unavailable');
  });

  it('falls back to the class meaning for undocumented codes', () => {
    expect(statusMeaning(418)).toMatchObject({ name: 'Client Error', documented: false });
    expect(statusMeaning(502)).toMatchObject({ name: 'Server Error', documented: false });
  });

  it('labels status classes', () => {
    expect([200, 404, 503].map(statusClass)).toEqual(['2xx', '4xx', '5xx']);
  });
});
