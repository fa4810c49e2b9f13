import type { LogMapper } from '#libs/log-formats';
import type { Candidate } from '#libs/queue';

/**
 * A source preset applied to each parsed candidate, lazily like the parsing itself: a mapped value goes
 * on to the producer's validation as a record would; one the preset cannot map becomes a rejected line
 * with its field errors, and a line that was already rejected (malformed NDJSON) stays as it was. Each
 * mapped candidate keeps its source's line, shown in the ingest-sources admin view if it is rejected.
 */
export function* mapCandidates(candidates: Iterable<Candidate>, mapper: LogMapper): Generator<Candidate> {
  for (const candidate of candidates) {
    if (!('value' in candidate)) {
      yield candidate;
      continue;
    }
    const mapped = mapper(candidate.value);
    // The source's own line goes along: rejected, it is what an admin needs to see.
    const { index, value: line } = candidate;
    yield mapped.ok ? { index, value: mapped.candidate, line } : { index, invalid: mapped.details, line };
  }
}
