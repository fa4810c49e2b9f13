import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { ApiKeyRepository } from '#libs/auth';
import { launchChromium } from './support/browser.js';
import { TEST_API_KEY, anonymousHttp, http } from './support/http.js';
import { keyHistory } from './support/key-history.js';
import { makeRecord } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('support page (headless Chromium)', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let base: string;
  const history = keyHistory();

  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    const server: Server = await pipeline.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await http(server).post('/v1/logs').send(history.records).expect(202);
    await waitUntilStored(
      pipeline.db,
      history.records.map((r) => r.requestId as string),
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    await page.goto(`${base}/support`);
  });
  afterEach(() => page.close());

  const text = (selector: string) => page.locator(selector).innerText();
  async function lookUp(requestId: string, key: string | null = TEST_API_KEY) {
    if (key !== null) await page.fill('#api-key', key);
    await page.fill('#request-id', requestId);
    await page.click('#submit');
  }

  it('serves a public, self-contained HTML shell', async () => {
    const res = await anonymousHttp(pipeline.api.getHttpServer()).get('/support').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('shows the request with its documented meaning, and the same key just before and after', async () => {
    await lookUp(history.target.requestId as string);
    await page.locator('#result').waitFor();
    expect(await text('[data-field=status]')).toBe('422');
    expect(await text('[data-field=statusName]')).toBe('Unprocessable Entity');
    expect(await text('[data-field=statusMeaning]')).toBe(
      'The request is well-formed but contains semantic errors. Field validation failures are returned in the details object.',
    );
    expect(await text('[data-field=error]')).toBe('validation_error');
    expect(await text('[data-field=message]')).toBe('The given data was invalid.');
    // details readable: one "name: value" line per field, arrays joined.
    expect(await page.locator('[data-field=details] dt').allInnerTexts()).toEqual(['redirect_url']);
    expect(await page.locator('[data-field=details] dd').allInnerTexts()).toEqual(['The redirect url must be a valid URL.']);
    expect(await text('[data-field=nextStep]')).toBe('Fix the fields named in details, then send the request again.');
    expect(await text('[data-field=request]')).toBe('POST /v1/sessions/ses_4k2j9h7x/approve');
    expect(await text('[data-field=route]')).toBe('/v1/sessions/:id/approve');
    expect(await text('[data-field=apiKeyId]')).toBe(history.apiKeyId);
    // Absolute time to the second (full value in the title) beside a relative one, on one line.
    const absolute = (history.target.timestamp as string).replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    expect(await text('[data-field=timestamp]')).toMatch(new RegExp(`^${absolute} \\(6\\d min ago\\)$`));
    expect(await page.locator('[data-field=timestamp] time').getAttribute('datetime')).toBe(history.target.timestamp);
    expect(await text('[data-field=duration]')).toBe('18.5 ms');

    const rows = page.locator('#neighbors tbody tr');
    await rows.nth(5).waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-request-id'), tr.className]));
    expect(ids).toEqual([
      ...history.before.map((r) => [r.requestId, 'before']),
      [history.target.requestId, 'current'],
      ...history.after.map((r) => [r.requestId, 'after']),
    ]);
    expect(await rows.nth(2).innerText()).toContain('not_found');
    // Offsets from the request instead of raw timestamps: one minute apart.
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')!.textContent))).toEqual([
      '−3 min',
      '−2 min',
      '−1 min',
      'this request',
      '+1 min',
      '+2 min',
    ]);
    // The key survives a reload of the tab (sessionStorage), and a neighbour's link looks it up.
    await page.reload();
    expect(await page.inputValue('#api-key')).toBe(TEST_API_KEY);
    await page.locator(`#neighbors a[href="#${history.before[2].requestId}"]`).click();
    await page.locator('[data-field=status]', { hasText: '404' }).waitFor();
    expect(await text('[data-field=requestId]')).toBe(history.before[2].requestId);
  });

  it('renders a 404 from its {error, message, details} body', async () => {
    await lookUp('req_never_stored_page');
    await page.locator('#notice[data-code=not_found]').waitFor();
    const notice = await text('#notice');
    expect(notice).toContain('404 not_found: No request with X-Request-Id "req_never_stored_page" has been stored.');
    // The message once, then what to do, then details as readable lines (not a JSON dump).
    expect(notice.match(/has been stored/g)).toHaveLength(1);
    expect(notice).toContain('Check the id, or wait a few seconds if it was just sent.');
    expect(await page.locator('#notice dl.details dt').allInnerTexts()).toEqual(['requestId']);
    expect(await page.locator('#notice dl.details dd').allInnerTexts()).toEqual(['req_never_stored_page']);
    expect(await page.locator('#result').isHidden()).toBe(true);
  });

  it('asks for a key before calling the API when none is given', async () => {
    const apiCalls: string[] = [];
    page.on('request', (req) => void (req.url().includes('/v1/') && apiCalls.push(req.url())));
    await lookUp(history.target.requestId as string, '');
    await page.locator('#notice[data-code=missing_key]').waitFor();
    expect(await text('#notice')).toContain('Enter an API key with the logs:read scope');
    expect(apiCalls).toEqual([]);
  });

  it('renders 401 for an unknown key and 403 for a key without logs:read, from the real API', async () => {
    const writeOnly = await pipeline.api.get(ApiKeyRepository).create('support page writer', ['logs:write']);
    const sentKeys: string[] = [];
    page.on('request', (req) => void (req.url().includes('/v1/requests/') && sentKeys.push(req.headers()['x-api-key'] ?? '')));

    await lookUp(history.target.requestId as string, 'vlk_not_a_real_key_0123456789abcdef');
    await page.locator('#notice[data-code=unauthorized]').waitFor();
    expect(await text('#notice')).toContain('401 unauthorized: The API key is missing, invalid, or has been revoked');
    expect(await text('#notice')).toContain('Check the key you entered');

    await lookUp(history.target.requestId as string, writeOnly.key);
    await page.locator('#notice[data-code=forbidden]').waitFor();
    expect(await text('#notice')).toContain('403 forbidden: The API key does not have the "logs:read" scope');
    expect(await text('#notice')).toContain('Use a key that has the logs:read scope.');
    expect(await page.locator('#result').isHidden()).toBe(true);
    expect(sentKeys).toEqual(['vlk_not_a_real_key_0123456789abcdef', writeOnly.key]);
  });

  it('says "spike detection unavailable" when the service has no /v1/spikes', async () => {
    await page.route('**/v1/spikes**', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'not_found', message: 'Cannot GET /v1/spikes', details: {} }),
      }),
    );
    await lookUp(history.target.requestId as string);
    await page.locator('#spike[data-state=unavailable]').waitFor();
    expect(await text('#spike')).toBe('Spike detection unavailable on this service.');
  });

  it('shows the 429 spike a rate-limited request fell into', async () => {
    // A quiet key for three hours (one 429 every 10 minutes), then 300 429s within two minutes.
    const burstStart = Date.now() - 30 * 60_000;
    const spikeKey = `key_live_spiky_${Date.now().toString(36)}`;
    const rateLimited = {
      status: 429,
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please retry after 30 seconds.',
      details: { retry_after: 30 },
      retryAfter: 30,
      apiKeyId: spikeKey,
    };
    const quiet = Array.from({ length: 18 }, (_, i) =>
      makeRecord({ ...rateLimited, timestamp: new Date(burstStart - (i + 1) * 600_000).toISOString() }),
    );
    const burst = Array.from({ length: 300 }, (_, i) =>
      makeRecord({ ...rateLimited, timestamp: new Date(burstStart + i * 400).toISOString() }),
    );
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .send([...quiet, ...burst])
      .expect(202);
    await waitUntilStored(
      pipeline.db,
      [...quiet, ...burst].map((r) => r.requestId as string),
    );

    await lookUp(burst[150].requestId as string);
    await page.locator('#spike[data-state=inside]').waitFor({ timeout: 15_000 });
    // Per-minute units: the spike API's rates are per minute.
    expect(await text('#spike')).toMatch(
      /^Inside a 429 spike from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC for \d+ min: \d+ responses, peak [\d.]+\/min against a baseline of [\d.]+\/min/,
    );
  });

  it('runs its script under a CSP without unsafe-inline (allowed by hash)', async () => {
    const res = await anonymousHttp(pipeline.api.getHttpServer()).get('/support').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    const violations: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && violations.push(m.text())));
    await lookUp(history.target.requestId as string);
    await page.locator('#result').waitFor();
    expect(violations).toEqual([]);
  });

  it("draws the key's per-minute traffic by status class around the request", async () => {
    await lookUp(history.target.requestId as string);
    await page.locator('#timeline[data-state=shown]').waitFor();
    const minutes = page.locator('#timeline .minute');
    expect(await minutes.count()).toBe(31);
    // The request's minute is outlined and holds its 422 (one 4xx); the key's other requests one per minute.
    expect(await page.locator('#timeline .minute.current .seg.c4').getAttribute('data-count')).toBe('1');
    const totals = await minutes.evaluateAll((cols) => cols.map((c) => Number((c as HTMLElement).dataset.total)));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(history.records.length - 1);
    const bar = await page.locator('#timeline .minute.current .seg').boundingBox();
    expect(bar!.height).toBeGreaterThan(10);
  });

  it('says plainly when the key made no other request, without a table of one row', async () => {
    const alone = makeRecord({
      apiKeyId: `key_alone_${Date.now().toString(36)}`,
      status: 503,
      retryAfter: 10,
      error: 'service_unavailable',
      message: 'Down for maintenance.',
    });
    await http(pipeline.api.getHttpServer()).post('/v1/logs').send([alone]).expect(202);
    await waitUntilStored(pipeline.db, [alone.requestId as string]);
    await lookUp(alone.requestId as string);
    await page.locator('#neighbors-note[data-state=empty]').waitFor();
    expect(await text('#neighbors-note')).toBe(`No other request from ${alone.apiKeyId} within a day either side.`);
    expect(await page.locator('#neighbors').isHidden()).toBe(true);
    expect(await text('[data-field=nextStep]')).toBe('Retry with exponential backoff, waiting at least 10 s first.');
  });

  it('handles a malformed #hash with a message instead of an exception', async () => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.fill('#api-key', TEST_API_KEY);
    await page.goto(`${base}/support#%E0%A4%A`);
    await page.locator('#notice[data-code=bad_link]').waitFor();
    expect(await text('#notice')).toContain('This link holds no valid X-Request-Id');
    expect(errors).toEqual([]);
  });

  for (const width of [1280, 390]) {
    it(`lays out at ${width} px: one-line labels, no horizontal overflow (screenshot in .local/screenshots)`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await lookUp(history.target.requestId as string);
      await page.locator('#neighbors tbody tr').nth(5).waitFor();
      await page.locator('#timeline[data-state=shown]').waitFor();
      await page.locator('#spike:not([data-state=loading])').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      for (const label of await page.locator('label > span').all()) {
        const box = (await label.boundingBox())!;
        expect(box.height).toBeLessThan(30);
      }
      // The time stays on one line with its relative part.
      expect((await page.locator('[data-field=timestamp]').boundingBox())!.height).toBeLessThan(width < 640 ? 50 : 30);
      const form = await page.locator('#lookup').boundingBox();
      const key = await page.locator('#api-key').boundingBox();
      const id = await page.locator('#request-id').boundingBox();
      // Side by side on a desktop, stacked on a phone.
      if (width < 640) expect(id!.y).toBeGreaterThan(key!.y + key!.height);
      else expect(id!.y).toBe(key!.y);
      expect(form!.width).toBeLessThanOrEqual(width);
      mkdirSync('.local/screenshots', { recursive: true });
      await page.screenshot({ path: `.local/screenshots/support-${width}.png`, fullPage: true });
    });
  }
});
