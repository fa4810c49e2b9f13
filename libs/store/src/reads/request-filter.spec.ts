import { filterWhere, rollupTableFor } from './request-filter.js';

describe('rollupTableFor', () => {
  it('reads the status table when only statuses are involved', () => {
    expect(rollupTableFor({ statuses: [429], statusClasses: [5] })).toBe('request_status_rollups_minute');
    expect(rollupTableFor({}, 'statusClass')).toBe('request_status_rollups_minute');
  });

  it('reads the route grid for route, method or error code', () => {
    expect(rollupTableFor({ route: '/v1/sessions' })).toBe('request_route_rollups_minute');
    expect(rollupTableFor({ method: 'GET' }, 'status')).toBe('request_route_rollups_minute');
    expect(rollupTableFor({}, 'errorCode')).toBe('request_route_rollups_minute');
  });

  it('reads the full table whenever the API key is filtered or grouped on', () => {
    expect(rollupTableFor({ apiKeyId: 'key_1', route: '/v1/x' })).toBe('request_rollups_minute');
    expect(rollupTableFor({ route: '/v1/x' }, 'apiKeyId')).toBe('request_rollups_minute');
  });
});

describe('filterWhere', () => {
  it('numbers placeholders in order and binds values, never inlining them', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-01-02T00:00:00Z');
    const where = filterWhere('sent_at', from, to, { statuses: [429, 503], route: "/v1/x'; DROP TABLE x; --", apiKeyId: 'k' });
    expect(where.conditions).toEqual(['sent_at >= $1', 'sent_at < $2', 'status = ANY($3::smallint[])', 'route = $4', 'api_key_id = $5']);
    expect(where.parameters).toEqual([from, to, [429, 503], "/v1/x'; DROP TABLE x; --", 'k']);
  });
});
