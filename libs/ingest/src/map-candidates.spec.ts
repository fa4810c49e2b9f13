import { mapCandidates } from './map-candidates.js';

describe('mapCandidates', () => {
  const upper = (value: unknown) =>
    typeof value === 'string'
      ? { ok: true as const, candidate: { method: value.toUpperCase() } }
      : { ok: false as const, details: { record: ['must be a string'] } };

  it('maps values, turns unmappable ones into rejected lines at their index, and keeps already rejected lines', () => {
    // Each mapped candidate carries its source line, kept if the producer rejects it.
    const mapped = [
      ...mapCandidates(
        [
          { index: 0, value: 'get' },
          { index: 2, value: 7 },
          { index: 3, invalid: { line: ['malformed JSON'] } },
        ],
        upper,
      ),
    ];
    expect(mapped).toEqual([
      { index: 0, value: { method: 'GET' }, line: 'get' },
      { index: 2, invalid: { record: ['must be a string'] }, line: 7 },
      { index: 3, invalid: { line: ['malformed JSON'] } },
    ]);
  });
});
