/// <reference lib="dom" />
import type { Neighbor, Spike, StoredRequest } from './api-answers.js';
/**
 * The support page's browser code, type-checked with the project. It runs in the browser as
 * `(supportPageClient)(nextSteps)`: the page inlines this function's source (see support-page.html.ts),
 * so it must be self-contained — no imports but types (erased when compiled), no references outside its body. It renders API data
 * with textContent only, never innerHTML, so a hostile record cannot inject markup.
 */
export function supportPageClient(nextSteps: Record<string, string>): void {
  interface ApiAnswer<T> {
    ok: boolean;
    status: number;
    body: T & ErrorBody;
  }
  interface ErrorBody {
    error?: string;
    message?: string;
    details?: unknown;
  }
  interface Bucket {
    start: string;
    total: number;
    byStatus: Record<string, number>;
  }

  const KEY_STORAGE = 'verilock.support.apiKey';
  const SPIKE_WINDOW_MS = 3 * 3600_000;
  const TIMELINE_MINUTES = 15;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
  const form = $<HTMLFormElement>('lookup'),
    keyInput = $<HTMLInputElement>('api-key'),
    idInput = $<HTMLInputElement>('request-id');
  const notice = $('notice'),
    result = $('result');

  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyInput.addEventListener('change', () => sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim()));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void lookUp(idInput.value.trim());
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();

  function fromHash(): void {
    const raw = location.hash.slice(1);
    if (!raw) return;
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      result.hidden = true;
      showNotice(
        {
          title: 'This link holds no valid X-Request-Id',
          message: 'Its "#…" part is not valid percent-encoding. Paste the id into the form instead.',
        },
        'bad_link',
      );
      return;
    }
    if (id !== idInput.value.trim()) {
      idInput.value = id;
      void lookUp(id);
    }
  }

  /** An API call with the key; never throws. */
  async function api<T>(path: string): Promise<ApiAnswer<T>> {
    try {
      const res = await fetch(path, { headers: { 'X-API-Key': keyInput.value.trim(), Accept: 'application/json' } });
      const body = (await res.json().catch(() => ({}))) as T & ErrorBody;
      return { ok: res.ok, status: res.status, body };
    } catch (err) {
      return {
        ok: false,
        status: 0,
        body: { error: 'network_error', message: `The service could not be reached: ${(err as Error).message}` } as T & ErrorBody,
      };
    }
  }

  async function lookUp(requestId: string): Promise<void> {
    const key = keyInput.value.trim();
    sessionStorage.setItem(KEY_STORAGE, key);
    result.hidden = true;
    if (!key)
      return showNotice(
        { title: 'API key needed', message: 'Enter an API key with the logs:read scope first: the lookup needs it.' },
        'missing_key',
      );
    if (!requestId) return showNotice({ title: 'X-Request-Id needed', message: 'Paste an X-Request-Id to look up.' }, 'missing_id');
    if (location.hash.slice(1) !== encodeURIComponent(requestId)) history.replaceState(null, '', `#${encodeURIComponent(requestId)}`);
    showNotice({ title: `Looking up ${requestId}…` }, 'loading', 'info');
    const res = await api<StoredRequest>(`/v1/requests/${encodeURIComponent(requestId)}`);
    if (!res.ok) return showError(res);
    notice.hidden = true;
    renderRecord(res.body);
    result.hidden = false;
    void loadNeighbors(res.body);
    void loadSpike(res.body);
    void loadTimeline(res.body);
  }

  /** What the page user can do about an answer of the service itself (the message says what happened). */
  const HINTS: Record<number, string> = {
    0: 'Check that the service is running.',
    401: 'Check the key you entered.',
    403: 'Use a key that has the logs:read scope.',
    404: 'Check the id, or wait a few seconds if it was just sent.',
    422: 'An X-Request-Id is 1–128 letters, digits, ".", "_", ":" or "-".',
  };

  function showError(res: ApiAnswer<unknown>): void {
    const body = res.body;
    const title = `${res.status ? `${res.status} ` : ''}${body.error ?? 'error'}`;
    showNotice(
      { title, message: body.message ?? 'The request failed.', hint: HINTS[res.status], details: body.details },
      body.error ?? 'error',
    );
  }

  function showNotice(content: { title: string; message?: string; hint?: string; details?: unknown }, code: string, kind = 'error'): void {
    notice.textContent = '';
    const strong = document.createElement('strong');
    strong.textContent = content.title;
    notice.appendChild(strong);
    if (content.message) notice.appendChild(document.createTextNode(`: ${content.message}`));
    if (content.hint) {
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent = ` ${content.hint}`;
      notice.appendChild(hint);
    }
    if (hasContent(content.details)) notice.appendChild(detailsList(content.details));
    notice.className = kind;
    notice.dataset.code = code;
    notice.hidden = false;
  }

  function hasContent(details: unknown): boolean {
    return details !== null && details !== undefined && (typeof details !== 'object' || Object.keys(details).length > 0);
  }

  /** `details` as "name: value" lines (arrays joined), nested objects as compact JSON. */
  function detailsList(details: unknown): HTMLElement {
    const dl = document.createElement('dl');
    dl.className = 'details';
    const entries: [string, unknown][] = typeof details === 'object' && details !== null ? Object.entries(details) : [['value', details]];
    for (const [name, value] of entries) {
      const dt = document.createElement('dt'),
        dd = document.createElement('dd');
      dt.textContent = name;
      dd.textContent = Array.isArray(value) && value.every((v) => typeof v !== 'object') ? value.join('; ') : plainText(value);
      dl.append(dt, dd);
    }
    return dl;
  }

  function field(name: string, value: unknown): HTMLElement {
    const el = result.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
    el.textContent = value === null || value === undefined || value === '' ? '—' : plainText(value);
    return el;
  }

  /** A value of the api's JSON as text: strings as they are, numbers and booleans printed, the rest as JSON. */
  function plainText(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value) ?? '';
  }

  function renderRecord(r: StoredRequest): void {
    result.className = `s${String(r.status).charAt(0)}`;
    field('requestId', r.requestId);
    field('status', r.status);
    field('statusName', r.statusMeaning.name + (r.statusMeaning.documented ? '' : ' (not in the conventions)'));
    field('statusMeaning', r.statusMeaning.description);
    const steps = nextSteps[String(r.status)] ?? nextSteps[`${String(r.status).charAt(0)}xx`] ?? '';
    field('nextStep', steps.replace('{retryAfter}', r.retryAfter === null ? 'the Retry-After seconds' : `${r.retryAfter} s`));
    field('error', r.error);
    field('message', r.message);
    const details = field('details', null);
    if (hasContent(r.details)) details.replaceChildren(detailsList(r.details));
    field('request', `${r.method} ${r.path}`);
    field('route', r.route);
    field('apiKeyId', r.apiKeyId);
    timeField('timestamp', r.timestamp, relative(Date.now() - Date.parse(r.timestamp), true));
    field('duration', `${r.durationMs} ms`);
    field('retryAfter', r.retryAfter === null ? null : `${r.retryAfter} s`);
    const lag = Date.parse(r.storedAt) - Date.parse(r.timestamp);
    timeField('ingest', r.storedAt, `${relative(lag, false)} after it was sent`);
  }

  function timeField(name: string, iso: string, rel: string): void {
    const el = field(name, null);
    el.textContent = '';
    const time = document.createElement('time');
    time.dateTime = iso;
    time.title = iso;
    time.textContent = absolute(iso);
    const small = document.createElement('span');
    small.className = 'rel';
    small.textContent = ` ${rel}`;
    el.append(time, small);
  }

  /** "2026-11-30 20:01:02 UTC": seconds are enough to read; the full value is in the title. */
  function absolute(iso: string): string {
    return new Date(iso)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
  }

  /** "3 min ago" (ago) or "+0.2 s" / "−2.0 min" (an offset). */
  function relative(ms: number, ago: boolean): string {
    const s = Math.abs(ms) / 1000;
    const text =
      s < 60
        ? `${s.toFixed(s < 10 ? 1 : 0)} s`
        : s < 5400
          ? `${Math.round(s / 60)} min`
          : s < 172_800
            ? `${Math.round(s / 3600)} h`
            : `${Math.round(s / 86_400)} d`;
    if (ago) return ms >= 0 ? `(${text} ago)` : `(in ${text})`;
    return `${ms < 0 ? '−' : '+'}${text}`;
  }

  async function loadNeighbors(r: StoredRequest): Promise<void> {
    const table = $<HTMLTableElement>('neighbors'),
      body = table.tBodies[0],
      note = $('neighbors-note');
    body.textContent = '';
    table.hidden = true;
    note.hidden = true;
    const say = (text: string, state: string) => {
      note.textContent = text;
      note.dataset.state = state;
      note.hidden = false;
    };
    if (!r.apiKeyId) return say('This request carried no API key, so it has no key history.', 'no_key');
    const res = await api<{ before: Neighbor[]; after: Neighbor[] }>(`/v1/requests/${encodeURIComponent(r.requestId)}/neighbors?limit=5`);
    if (!res.ok) return say(`Neighbours unavailable: ${res.body.message ?? res.status}`, 'error');
    if (!res.body.before.length && !res.body.after.length)
      return say(`No other request from ${r.apiKeyId} within a day either side.`, 'empty');
    const at = Date.parse(r.timestamp);
    for (const n of res.body.before) body.appendChild(row(n, 'before', at));
    body.appendChild(row(r, 'current', at));
    for (const n of res.body.after) body.appendChild(row(n, 'after', at));
    table.hidden = false;
  }

  function row(n: Neighbor, position: string, at: number): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.className = position;
    tr.dataset.requestId = n.requestId;
    const offset = Date.parse(n.timestamp) - at;
    const cells = [
      position === 'current' ? 'this request' : relative(offset, false),
      n.requestId,
      `${n.method} ${n.route}`,
      n.status,
      n.error ?? '',
      n.durationMs,
    ];
    cells.forEach((value, i) => {
      const td = document.createElement('td');
      if (i === 0) td.title = n.timestamp;
      if (i === 1 && position !== 'current') {
        const a = document.createElement('a');
        a.href = `#${encodeURIComponent(n.requestId)}`;
        a.textContent = n.requestId;
        td.appendChild(a);
      } else td.textContent = String(value);
      tr.appendChild(td);
    });
    return tr;
  }

  async function loadSpike(r: StoredRequest): Promise<void> {
    const el = $('spike'),
      at = Date.parse(r.timestamp);
    el.className = '';
    el.dataset.state = 'loading';
    el.textContent = 'Checking for 429/503 spikes…';
    const range =
      `from=${encodeURIComponent(new Date(at - SPIKE_WINDOW_MS).toISOString())}` +
      `&to=${encodeURIComponent(new Date(at + SPIKE_WINDOW_MS).toISOString())}`;
    const res = await api<{ spikes: Spike[] }>(`/v1/spikes?${range}&status=429,503`);
    if (res.status === 404) return state(el, 'unavailable', 'Spike detection unavailable on this service.');
    if (!res.ok) return state(el, 'error', `Spike detection failed: ${res.body.message ?? res.status}`);
    const spike = (res.body.spikes ?? []).find((s) => Date.parse(s.start) <= at && at < Date.parse(s.end));
    if (!spike) return state(el, 'outside', 'Not inside a detected 429/503 spike (searched ±3 h around the request).');
    el.className = 'inside';
    const minutes = Math.round((Date.parse(spike.end) - Date.parse(spike.start)) / 60_000);
    state(
      el,
      'inside',
      `Inside a ${spike.status} spike from ${absolute(spike.start)} for ${minutes} min: ${spike.count} responses, ` +
        `peak ${round(spike.peakRate)}/min against a baseline of ${round(spike.baselineRate)}/min (×${round(spike.factor)})` +
        (spike.topApiKeys.length
          ? `; top keys: ${spike.topApiKeys
              .slice(0, 3)
              .map((k) => k.apiKeyId)
              .join(', ')}`
          : '') +
        (spike.topRoutes.length
          ? `; top routes: ${spike.topRoutes
              .slice(0, 3)
              .map((k) => k.route)
              .join(', ')}`
          : '') +
        '.',
    );
  }

  function state(el: HTMLElement, name: string, text: string): void {
    el.dataset.state = name;
    el.textContent = text;
  }

  /** The key's requests per minute by status class, ±15 minutes around the request: bars, not numbers. */
  async function loadTimeline(r: StoredRequest): Promise<void> {
    const box = $('timeline'),
      at = Date.parse(r.timestamp);
    box.textContent = '';
    if (!r.apiKeyId) return state(box, 'no_key', 'No API key on this request: no key timeline.');
    const minute = Math.floor(at / 60_000) * 60_000;
    const from = new Date(minute - TIMELINE_MINUTES * 60_000).toISOString(),
      to = new Date(minute + (TIMELINE_MINUTES + 1) * 60_000).toISOString();
    const res = await api<{ series: { buckets: Bucket[] }[] }>(
      `/v1/error-rates?interval=1m&apiKeyId=${encodeURIComponent(r.apiKeyId)}&from=${from}&to=${to}`,
    );
    if (!res.ok || !res.body.series?.length)
      return state(box, 'error', `Timeline unavailable${res.body.message ? `: ${res.body.message}` : ''}.`);
    const buckets = res.body.series[0].buckets;
    const max = Math.max(1, ...buckets.map((b) => b.total));
    box.dataset.state = 'shown';
    for (const b of buckets) {
      const col = document.createElement('div');
      col.className = Date.parse(b.start) === minute ? 'minute current' : 'minute';
      const classes: Record<string, number> = {};
      for (const [status, n] of Object.entries(b.byStatus ?? {}))
        classes[`${status.charAt(0)}xx`] = (classes[`${status.charAt(0)}xx`] ?? 0) + n;
      col.title = `${absolute(b.start).slice(11, 16)} UTC: ${b.total} request(s)${Object.entries(classes)
        .map(([c, n]) => `, ${n} ${c}`)
        .join('')}`;
      col.dataset.total = String(b.total);
      for (const cls of ['5xx', '4xx', '3xx', '2xx']) {
        if (!classes[cls]) continue;
        const seg = document.createElement('div');
        seg.className = `seg c${cls.charAt(0)}`;
        seg.dataset.count = String(classes[cls]);
        seg.style.height = `${(classes[cls] / max) * 100}%`;
        col.appendChild(seg);
      }
      box.appendChild(col);
    }
  }

  function round(x: number): number {
    return Math.round(x * 10) / 10;
  }
}
