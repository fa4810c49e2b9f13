/**
 * The support page's browser script, served inline. Plain ES2020 (no backticks or template
 * placeholders: it lives inside a template string). It renders API data with textContent only,
 * never innerHTML, so a hostile record cannot inject markup.
 */
export const SUPPORT_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var KEY_STORAGE = 'verilock.support.apiKey';
  var SPIKE_WINDOW_MS = 3 * 3600 * 1000;
  var $ = function (id) { return document.getElementById(id); };
  var form = $('lookup'), keyInput = $('api-key'), idInput = $('request-id');
  var notice = $('notice'), result = $('result');

  keyInput.value = sessionStorage.getItem(KEY_STORAGE) || '';
  keyInput.addEventListener('change', function () { sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim()); });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    lookUp(idInput.value.trim());
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && id !== idInput.value.trim()) { idInput.value = id; lookUp(id); }
  }

  /** An API call with the key; resolves to {ok, status, body} and never throws. */
  function api(path) {
    return fetch(path, { headers: { 'X-API-Key': keyInput.value.trim(), Accept: 'application/json' } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) { return { ok: res.ok, status: res.status, body: body }; });
      })
      .catch(function (err) { return { ok: false, status: 0, body: { error: 'network_error', message: 'The service could not be reached: ' + err.message, details: {} } }; });
  }

  function lookUp(requestId) {
    var key = keyInput.value.trim();
    sessionStorage.setItem(KEY_STORAGE, key);
    result.hidden = true;
    if (!key) return showNotice('Enter an API key with the logs:read scope first: the lookup needs it.', 'missing_key');
    if (!requestId) return showNotice('Paste an X-Request-Id to look up.', 'missing_id');
    if (location.hash.slice(1) !== encodeURIComponent(requestId)) history.replaceState(null, '', '#' + encodeURIComponent(requestId));
    showNotice('Looking up ' + requestId + '…', 'loading', 'info');
    api('/v1/requests/' + encodeURIComponent(requestId)).then(function (res) {
      if (!res.ok) return showError(res);
      notice.hidden = true;
      renderRecord(res.body);
      result.hidden = false;
      loadNeighbors(res.body);
      loadSpike(res.body);
    });
  }

  var HINTS = {
    0: 'Check that the service is running.',
    401: 'The API key is missing, invalid, or has been revoked. Check the key you entered.',
    403: 'The API key is valid but lacks the logs:read scope needed to read requests.',
    404: 'No request with this X-Request-Id has been stored. Check the id, or wait a few seconds if it was just sent.',
    422: 'This is not a valid X-Request-Id (1–128 letters, digits, ".", "_", ":" or "-").'
  };

  function showError(res) {
    var body = res.body || {};
    var text = (res.status ? res.status + ' ' : '') + (body.error || 'error') + ': ' + (body.message || 'request failed');
    var hint = HINTS[res.status];
    showNotice(text + (hint ? ' — ' + hint : ''), body.error || 'error');
    if (body.details && Object.keys(body.details).length) {
      var pre = document.createElement('pre');
      pre.textContent = JSON.stringify(body.details, null, 2);
      notice.appendChild(pre);
    }
  }

  function showNotice(text, code, kind) {
    notice.textContent = text;
    notice.className = kind || 'error';
    notice.dataset.code = code;
    notice.hidden = false;
  }

  function field(name, value) {
    var el = result.querySelector('[data-field="' + name + '"]');
    el.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function renderRecord(r) {
    result.className = 's' + String(r.status).charAt(0);
    field('requestId', r.requestId);
    field('status', r.status);
    field('statusName', r.statusMeaning.name + (r.statusMeaning.documented ? '' : ' (not in the conventions)'));
    field('statusMeaning', r.statusMeaning.description);
    field('error', r.error);
    field('message', r.message);
    field('details', r.details === null ? null : JSON.stringify(r.details, null, 2));
    field('request', r.method + ' ' + r.path);
    field('route', r.route);
    field('apiKeyId', r.apiKeyId);
    field('timestamp', r.timestamp);
    field('duration', r.durationMs + ' ms');
    field('retryAfter', r.retryAfter === null ? null : r.retryAfter + ' s');
    field('ingest', r.receivedAt + ' / ' + r.storedAt);
  }

  function loadNeighbors(r) {
    var body = $('neighbors').tBodies[0], note = $('neighbors-note');
    body.textContent = '';
    note.hidden = true;
    if (!r.apiKeyId) { note.textContent = 'This request carried no API key, so it has no key history.'; note.hidden = false; return; }
    api('/v1/requests/' + encodeURIComponent(r.requestId) + '/neighbors?limit=5').then(function (res) {
      if (!res.ok) { note.textContent = 'Neighbours unavailable: ' + (res.body.message || res.status); note.hidden = false; return; }
      res.body.before.forEach(function (n) { body.appendChild(row(n, 'before')); });
      body.appendChild(row(r, 'current'));
      res.body.after.forEach(function (n) { body.appendChild(row(n, 'after')); });
      if (!res.body.before.length && !res.body.after.length) { note.textContent = 'No other request from ' + r.apiKeyId + ' within a day.'; note.hidden = false; }
    });
  }

  function row(n, position) {
    var tr = document.createElement('tr');
    tr.className = position;
    tr.dataset.requestId = n.requestId;
    [n.timestamp, n.requestId, n.method + ' ' + n.route, n.status, n.error || '', n.durationMs].forEach(function (value, i) {
      var td = document.createElement('td');
      if (i === 1 && position !== 'current') {
        var a = document.createElement('a');
        a.href = '#' + encodeURIComponent(n.requestId);
        a.textContent = n.requestId;
        td.appendChild(a);
      } else td.textContent = String(value);
      tr.appendChild(td);
    });
    return tr;
  }

  function loadSpike(r) {
    var el = $('spike'), at = Date.parse(r.timestamp);
    el.className = '';
    el.textContent = 'Checking for 429/503 spikes…';
    var query = '?from=' + encodeURIComponent(new Date(at - SPIKE_WINDOW_MS).toISOString()) +
      '&to=' + encodeURIComponent(new Date(at + SPIKE_WINDOW_MS).toISOString()) + '&status=429,503';
    api('/v1/spikes' + query).then(function (res) {
      if (res.status === 404) { el.dataset.state = 'unavailable'; el.textContent = 'Spike detection unavailable on this service.'; return; }
      if (!res.ok) { el.dataset.state = 'error'; el.textContent = 'Spike detection failed: ' + (res.body.message || res.status); return; }
      var spike = (res.body.spikes || []).filter(function (s) { return Date.parse(s.start) <= at && at < Date.parse(s.end); })[0];
      if (!spike) { el.dataset.state = 'outside'; el.textContent = 'Not inside a detected 429/503 spike (searched ±3 h around the request).'; return; }
      el.dataset.state = 'inside';
      el.className = 'inside';
      el.textContent = 'Inside a ' + spike.status + ' spike from ' + spike.start + ' to ' + spike.end + ': ' + spike.count +
        ' responses, peak ' + round(spike.peakRate) + '/s against a baseline of ' + round(spike.baselineRate) + '/s (×' + round(spike.factor) + ')' +
        (spike.topApiKeys && spike.topApiKeys.length ? '; top keys: ' + names(spike.topApiKeys) : '') +
        (spike.topRoutes && spike.topRoutes.length ? '; top routes: ' + names(spike.topRoutes) : '') + '.';
    });
  }

  function round(x) { return typeof x === 'number' ? Math.round(x * 100) / 100 : x; }
  function names(list) {
    return list.slice(0, 3).map(function (x) { return typeof x === 'object' && x !== null ? (x.apiKeyId || x.route || x.key || x.name || JSON.stringify(x)) : String(x); }).join(', ');
  }
})();
`;
