// The operator console: plain JavaScript, no framework, no build step. Everything it shows comes from the admin
// API (/stats, /stats/history, /dead-letters, /events, /calls, /messages, /contacts, /agents, /projections/rebuilds,
// /audit-log) and is written into the page as text (textContent), never as HTML: a payload holding <script> is
// shown, not run. The service's Content-Security-Policy forbids inline script as a second line of defence.
// Operator controls (pause, discard, reprocess, rebuild) are POSTs with the session's CSRF token, each behind a
// confirmation; the service writes every one of them to the audit log.
'use strict';

const REFRESH_MS = 5000;
const PAGE_SIZE = 25;
const EVENTS_PAGE = 25;
const AUDIT_PAGE = 50;
const WATCH_MS = 1000;
/** The projections a rebuild knows (ProjectionRebuilds.PROJECTIONS): the tables of each are rebuilt together. */
const PROJECTIONS = [
  {name: 'calls', tables: ['calls', 'call_recordings', 'call_insights', 'call_interactions'], events: 'call.*'},
  {name: 'messages', tables: ['messages'], events: 'sms.*'},
  {name: 'contacts', tables: ['contacts'], events: 'contact.*'},
  {name: 'agents', tables: ['agents', 'agent_status_history'], events: 'agent.status'},
  {name: 'change_log', tables: ['change_log'], events: 'change_log'},
];

const state = {
  csrf: null,
  auth: 'open',
  stats: null,
  deadLetters: {offset: 0, total: 0, items: [], selected: new Set()},
  events: {filter: null, items: [], more: false},
  audit: {items: [], more: false, expanded: false},
  watching: {jobs: null, rebuilds: null},
  refreshing: false,
};

// ---- helpers -------------------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** An element with text children only: strings become text nodes, never markup. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function number(value) {
  if (value === undefined || value === null) return '–';
  return Number(value).toLocaleString('en-US');
}

function seconds(value) {
  if (value === undefined || value === null) return '–';
  const s = Number(value);
  if (s < 60) return s.toFixed(s < 10 ? 2 : 1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return (s / 3600).toFixed(1) + ' h';
}

/** ISO-8601 from the API -> local "2026-11-29 18:03:12" (the ISO value stays in the title). */
function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
    + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

function timeCell(iso) {
  return el('td', {title: iso || '', className: 'time'}, time(iso));
}

/** Milliseconds from the API -> "55.0 s", "2 min 5 s". */
function millis(value) {
  if (value === undefined || value === null) return '–';
  return seconds(Number(value) / 1000);
}

/** A value for a definition list: missing -> "—". */
function orDash(value) {
  return value === undefined || value === null || value === '' ? '—' : value;
}

/** Pairs [label, value] -> dt/dd children of a <dl class="kv">. */
function pairs(list) {
  return list.flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, orDash(value))]);
}

/** A JSON value from the API (action items, purposes, dispositions) as plain text: never markup. */
function plain(value) {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(plain).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    for (const key of ['name', 'label', 'title', 'text', 'value']) {
      if (typeof value[key] === 'string' && value[key]) return value[key];
    }
    return Object.entries(value).map(([k, v]) => k + ': ' + plain(v)).join(', ');
  }
  return String(value);
}

/** A JSON list as a <ul> of text items ("—" when empty or missing). */
function textList(value) {
  if (value === undefined || value === null) return '—';
  const items = (Array.isArray(value) ? value : [value]).map(plain).filter(Boolean);
  return items.length ? el('ul', {className: 'plain'}, items.map((item) => el('li', {}, item))) : '—';
}

/** A link that opens in a new tab without handing it this page; only http(s) addresses become links. */
function link(url) {
  if (!url) return '—';
  let parsed;
  try {
    parsed = new URL(url);
  } catch (e) {
    return String(url);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return String(url);
  return el('a', {href: parsed.href, target: '_blank', rel: 'noopener noreferrer', title: url, className: 'url'}, url);
}

/**
 * The rows of a table body, or one muted row spanning the table when there are none. data: what the rows show, for
 * the tables the refresh reloads every few seconds; the same data as on screen keeps its rows (replacing a button
 * between the press and the release of a click would lose the click).
 */
function fillTable(table, rows, columns, emptyText, data) {
  if (data !== undefined) {
    const shown = JSON.stringify(data);
    if (shown === table.shownData) return;
    table.shownData = shown;
  }
  const body = table.tBodies[0];
  if (rows.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', {colspan: columns, className: 'muted empty'}, emptyText)));
  } else {
    body.replaceChildren(...rows);
  }
}

/** A message above the page; source 'connection' marks the one the next successful refresh takes away. */
function banner(text, kind, source) {
  const node = $('banner');
  node.textContent = text;
  node.className = kind || 'info';
  node.dataset.source = source || '';
  node.hidden = false;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.error)) || ('HTTP ' + status));
    this.status = status;
  }
}

async function loadSession() {
  const session = await api('GET', '/console/session');
  state.csrf = session.csrf_token;
  state.auth = session.auth;
  $('logout').hidden = session.auth !== 'token';
}

/** JSON in and out. 401: the session ended, the page reloads into the sign-in form. */
async function api(method, path, body, retried) {
  const headers = {'Accept': 'application/json'};
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (state.csrf) headers['X-CSRF-Token'] = state.csrf;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (response.status === 401) {
    window.location.reload();
    throw new ApiError(401, json);
  }
  if (response.status === 403 && method !== 'GET' && !retried) {
    await loadSession();
    return api(method, path, body, true);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/** A confirmation in a modal dialog: resolves true only when the person clicks the action button. */
function confirmAction(title, text, action) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = action;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/**
 * A reason in a modal dialog, which is also the confirmation: resolves the reason typed when the person clicks the
 * action button, null when cancelled. required: the button does nothing until a reason is typed.
 */
function askReason(title, text, action, required) {
  const dialog = $('reason-dialog');
  const input = $('reason-input');
  $('reason-title').textContent = title;
  $('reason-text').textContent = text;
  $('reason-ok').textContent = action;
  input.value = '';
  input.setCustomValidity('');
  input.placeholder = required ? 'required: why?' : 'optional';
  dialog.dataset.required = required ? 'true' : 'false';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value.trim() : null),
      {once: true});
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}

/** A JSON object (a filter, an answer's counts) as "key=value, …" text. */
function compact(value) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value).map(([k, v]) => k + '=' + (v !== null && typeof v === 'object'
    ? JSON.stringify(v) : String(v))).join(', ');
}

/** "done / total" with a <progress> bar. */
function progress(done, total) {
  const max = Math.max(Number(total) || 0, 1);
  return el('span', {className: 'progress'},
    el('progress', {max, value: Math.min(Number(done) || 0, max)}),
    ' ', number(done) + ' / ' + number(total));
}

// ---- overview ------------------------------------------------------------------------------------------------

async function refreshOverview() {
  const [stats, history] = await Promise.all([api('GET', '/stats'), api('GET', '/stats/history')]);
  state.stats = stats;
  const received = Number(stats.processed) + Number(stats.skipped) + Number(stats.dead_lettered)
    + Number(stats.unprocessed);
  const values = {...stats, received};
  for (const node of document.querySelectorAll('[data-stat]')) {
    const key = node.dataset.stat;
    node.textContent = key === 'lag_seconds' ? seconds(values[key]) : number(values[key]);
    node.dataset.value = String(values[key]);
  }
  const health = $('health');
  const paused = !!(stats.processing && stats.processing.paused);
  const lagging = Number(stats.lag_seconds) > 60;
  const failing = Number(stats.dead_letters_open) > 0;
  health.textContent = paused ? 'processing paused' : lagging ? 'lagging' : failing ? 'dead letters open' : 'healthy';
  health.className = 'pill ' + (lagging ? 'bad' : paused || failing ? 'warn' : 'ok');
  health.title = stats.processor_enabled === false ? 'this instance does not process events' : '';
  processingSwitch(stats);
  breakdown($('by-type'), stats.event_types);
  breakdown($('by-app'), stats.apps);
  for (const prefix of ['dl', 'ev']) {
    filterOptions($(prefix + '-type'), Object.keys(stats.event_types || {}));
    filterOptions($(prefix + '-app'), Object.keys(stats.apps || {}));
  }
  if (Number(stats.reprocess_jobs_running) > 0) watchJobs();
  if ((stats.rebuilds_running || []).length > 0) watchRebuilds();
  chart(history);
  $('updated').textContent = 'updated ' + time(new Date().toISOString());
}

/** The pause switch: on = processing runs; who changed it last, when and why. */
function processingSwitch(stats) {
  const p = stats.processing || {};
  const paused = !!p.paused;
  const toggle = $('processing-switch');
  toggle.disabled = false;
  toggle.setAttribute('aria-checked', paused ? 'false' : 'true');
  toggle.classList.toggle('off', paused);
  toggle.title = paused ? 'Resume processing (asks for confirmation)' : 'Pause processing (asks for a reason)';
  $('processing-switch-label').textContent = paused ? 'Paused' : 'Processing';
  const who = [p.changed_by ? 'by ' + p.changed_by : null, p.changed_at ? 'at ' + time(p.changed_at) : null]
    .filter(Boolean).join(' ');
  const node = $('processing-state');
  node.className = paused ? 'paused' : 'running';
  node.replaceChildren(...[
    el('strong', {}, paused ? 'paused' : 'running'),
    paused ? ': no instance claims events; webhooks are still stored' : null,
    who ? el('span', {className: 'muted'}, ' · ' + (paused ? 'paused ' : 'last changed ') + who) : null,
    p.reason ? el('span', {className: 'reason'}, ' · “', p.reason, '”') : null].filter(Boolean));
  node.dataset.paused = String(paused);
  const work = [];
  if (Number(stats.reprocess_jobs_running) > 0) {
    work.push(stats.reprocess_jobs_running + ' reprocess job'
      + (Number(stats.reprocess_jobs_running) === 1 ? '' : 's') + ' running');
  }
  for (const r of stats.rebuilds_running || []) {
    work.push('rebuilding ' + r.projection + ' ' + number(r.done) + ' / ' + number(r.total));
  }
  $('processing-work').textContent = work.join(' · ');
}

async function toggleProcessing() {
  const paused = !!(state.stats && state.stats.processing && state.stats.processing.paused);
  try {
    if (!paused) {
      const reason = await askReason('Pause processing?', 'Every instance stops claiming events at its next poll. '
        + 'Webhooks are still accepted and stored; they are processed once processing is resumed.',
      'Pause processing', true);
      if (reason === null) return;
      await api('POST', '/processing/pause' + query({reason}));
      banner('Processing paused on every instance.', 'success');
    } else {
      const ok = await confirmAction('Resume processing?', 'Every instance claims events again at its next poll, '
        + 'starting with those stored while processing was paused.', 'Resume processing');
      if (!ok) return;
      await api('POST', '/processing/resume');
      banner('Processing resumed.', 'success');
    }
  } catch (e) {
    banner((paused ? 'Resume' : 'Pause') + ' failed: ' + e.message, 'error');
  }
  await refreshAll();
  await loadAudit();
}

function breakdown(table, groups) {
  const body = table.tBodies[0];
  const keys = Object.keys(groups || {}).sort();
  body.replaceChildren(...keys.map((key) => {
    const g = groups[key];
    return el('tr', {dataset: {key}},
      el('td', {}, key),
      el('td', {className: 'num'}, number(g.unprocessed)),
      el('td', {className: 'num'}, number(g.in_flight)),
      el('td', {className: 'num'}, number(g.processed)),
      el('td', {className: 'num'}, number(g.skipped)),
      el('td', {className: 'num' + (Number(g.dead_lettered) > 0 ? ' bad' : '')}, number(g.dead_lettered)),
      el('td', {className: 'num'}, Number(g.lag_seconds).toFixed(1)));
  }));
  if (keys.length === 0) body.replaceChildren(el('tr', {}, el('td', {colspan: 7, className: 'muted'}, 'no events yet')));
}

function filterOptions(select, keys) {
  const have = new Set([...select.options].map((o) => o.value));
  for (const key of keys.sort()) {
    if (!have.has(key)) select.append(el('option', {value: key}, key));
  }
}

/** Throughput (events finished per second between samples) and lag, as two lines on one SVG. */
function chart(history) {
  const svg = $('chart');
  const ns = 'http://www.w3.org/2000/svg';
  const samples = (history && history.samples) || [];
  const width = 800;
  const height = 180;
  const pad = 4;
  svg.replaceChildren();
  const points = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (Date.parse(samples[i].at) - Date.parse(samples[i - 1].at)) / 1000;
    if (dt <= 0) continue;
    const rate = Math.max(0, (samples[i].finished - samples[i - 1].finished) / dt);
    points.push({at: Date.parse(samples[i].at), rate, lag: Number(samples[i].lag_seconds)});
  }
  // the x axis spans the window, or the time since the first sample while the history is shorter than it
  const end = Date.now();
  const start = Math.max(end - ((history && history.window_seconds) || 900) * 1000,
    samples.length ? Date.parse(samples[0].at) : end);
  const windowMs = Math.max(1000, end - start);
  if (points.length < 2) {
    $('chart-caption').textContent = 'collecting samples (one every ' + ((history && history.interval_ms) || 5000) / 1000
      + ' s)…';
    return;
  }
  const maxRate = Math.max(1, ...points.map((p) => p.rate));
  const maxLag = Math.max(1, ...points.map((p) => p.lag));
  const x = (at) => pad + (width - 2 * pad) * Math.max(0, (at - start)) / windowMs;
  const line = (value, max, cls) => {
    const polyline = document.createElementNS(ns, 'polyline');
    polyline.setAttribute('points', points.map((p) => x(p.at).toFixed(1) + ','
      + (height - pad - (height - 2 * pad) * value(p) / max).toFixed(1)).join(' '));
    polyline.setAttribute('class', cls);
    svg.append(polyline);
  };
  for (let i = 1; i < 4; i++) {
    const grid = document.createElementNS(ns, 'line');
    grid.setAttribute('x1', 0);
    grid.setAttribute('x2', width);
    grid.setAttribute('y1', (height * i) / 4);
    grid.setAttribute('y2', (height * i) / 4);
    grid.setAttribute('class', 'grid-line');
    svg.append(grid);
  }
  line((p) => p.rate, maxRate, 'series throughput');
  line((p) => p.lag, maxLag, 'series lag');
  const last = points[points.length - 1];
  $('chart-caption').textContent = 'last ' + (windowMs < 60000 ? Math.round(windowMs / 1000) + ' s'
    : Math.round(windowMs / 60000) + ' min') + ' · now ' + last.rate.toFixed(1)
    + ' events/s (peak ' + maxRate.toFixed(1) + '), lag ' + seconds(last.lag) + ' (peak ' + seconds(maxLag) + ')';
}

// ---- dead letters --------------------------------------------------------------------------------------------

function deadLetterFilter() {
  const iso = (value) => (value ? new Date(value).toISOString() : '');
  return {
    event_type: $('dl-type').value,
    app_id: $('dl-app').value,
    from: iso($('dl-from').value),
    to: iso($('dl-to').value),
    error: $('dl-error').value.trim(),
    replayed: $('dl-state').value,
  };
}

async function loadDeadLetters() {
  const dl = state.deadLetters;
  const page = await api('GET', '/dead-letters' + query({...deadLetterFilter(), limit: PAGE_SIZE, offset: dl.offset}));
  const ids = new Set(page.items.map((d) => d.id));
  for (const id of [...dl.selected]) if (!ids.has(id)) dl.selected.delete(id);
  dl.items = page.items;
  dl.total = Number(page.total);
  renderDeadLetters();
  // how many loads have ended (the browser test waits on it)
  $('dl-table').dataset.loads = String(Number($('dl-table').dataset.loads || 0) + 1);
}

function renderDeadLetters() {
  const dl = state.deadLetters;
  // the rows depend on the page, and on the selection (the checkboxes): a refresh that finds both unchanged keeps them
  fillTable($('dl-table'), dl.items.map((d) => el('tr', {
    dataset: {id: d.id, event: d.dialpad_event_id},
    className: d.replayed_at ? 'replayed' : '',
    tabindex: 0,
    title: 'open (Enter)',
    onclick: (event) => {
      if (event.target.closest('button, input')) return;
      showDeadLetter(d.id);
    },
    onkeydown: (event) => {
      if (event.key === 'Enter' && event.target === event.currentTarget) showDeadLetter(d.id);
    },
  },
  el('td', {}, el('input', {type: 'checkbox', 'aria-label': 'select', checked: dl.selected.has(d.id),
    disabled: !!d.replayed_at,
    onchange: (event) => {
      if (event.target.checked) dl.selected.add(d.id); else dl.selected.delete(d.id);
      updateDeadLetterButtons();
    }})),
  timeCell(d.failed_at),
  el('td', {}, d.event_type),
  el('td', {}, d.app_id),
  el('td', {className: 'mono'}, d.dialpad_event_id),
  el('td', {className: 'error-cell', title: d.error_message || ''},
    el('strong', {}, d.error_class || ''), ' ', d.error_message || ''),
  el('td', {className: 'num'}, d.attempts),
  el('td', {}, d.discarded_at
    ? el('span', {className: 'muted', title: d.discarded_at}, 'discarded ' + time(d.discarded_at),
      el('div', {className: 'small reason'}, d.discard_reason || ''))
    : d.replayed_at
      ? el('span', {className: 'muted', title: d.replayed_at}, 'replayed ' + time(d.replayed_at))
      : el('button', {type: 'button', className: 'replay-one', onclick: () => replayOne(d)}, 'Replay')))),
    8, 'No dead letters match this filter.', [dl.items, dl.offset, [...dl.selected].sort()]);
  const from = dl.total === 0 ? 0 : dl.offset + 1;
  $('dl-count').textContent = number(dl.total) + ' matching';
  $('dl-page').textContent = from + '–' + (dl.offset + dl.items.length) + ' of ' + number(dl.total);
  $('dl-prev').disabled = dl.offset === 0;
  $('dl-next').disabled = dl.offset + dl.items.length >= dl.total;
  $('dl-select-all').checked = dl.items.length > 0 && dl.items.every((d) => d.replayed_at || dl.selected.has(d.id));
  updateDeadLetterButtons();
}

function updateDeadLetterButtons() {
  const dl = state.deadLetters;
  $('dl-replay-selected').disabled = dl.selected.size === 0;
  $('dl-replay-selected').textContent = 'Replay selected (' + dl.selected.size + ')';
  const replayable = $('dl-state').value !== 'true' && dl.total > 0;
  $('dl-replay-matching').disabled = !replayable;
  $('dl-replay-matching').textContent = 'Replay all matching' + (replayable && $('dl-state').value === 'false'
    ? ' (' + number(dl.total) + ')' : '');
}

async function showDeadLetter(id) {
  try {
    const d = await api('GET', '/dead-letters/' + encodeURIComponent(id));
    $('dl-detail-event').textContent = d.dialpad_event_id;
    const fields = [['Dead letter id', d.id], ['Event id', d.event_id], ['App', d.app_id], ['Type', d.event_type],
      ['Attempts', d.attempts], ['Failed at', time(d.failed_at)]];
    if (d.discarded_at) {
      fields.push(['Discarded at', time(d.discarded_at)], ['Discard reason', d.discard_reason || '—']);
    } else {
      fields.push(['Replayed at', d.replayed_at ? time(d.replayed_at) : 'not replayed']);
    }
    $('dl-detail-fields').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', {}, k),
      el('dd', {className: k === 'Discard reason' ? 'reason' : ''}, v)]));
    $('dl-detail-error').textContent = [d.error_class, d.error_message].filter(Boolean).join('\n');
    $('dl-detail-payload').textContent = d.payload_text || JSON.stringify(d.payload, null, 2);
    const replay = $('dl-detail-replay');
    replay.hidden = !!d.replayed_at;
    replay.onclick = async () => {
      $('dl-detail').close();
      await replayOne(d);
    };
    const discard = $('dl-detail-discard');
    discard.hidden = !!d.replayed_at;
    discard.onclick = async () => {
      $('dl-detail').close();
      await discardOne(d);
    };
    $('dl-detail').showModal();
  } catch (e) {
    banner('Could not load the dead letter: ' + e.message, 'error');
  }
}

async function replayOne(d) {
  const ok = await confirmAction('Replay this event?',
    'The ' + d.event_type + ' event ' + d.dialpad_event_id + ' (app ' + d.app_id + ') goes back to the queue with '
    + 'a fresh attempt count. If the cause is not fixed it will fail again and get a new dead letter.', 'Replay');
  if (!ok) return;
  try {
    const result = await api('POST', '/dead-letters/' + encodeURIComponent(d.id) + '/replay');
    banner(result.requeued ? 'Replayed: event ' + d.dialpad_event_id + ' is back in the queue.'
      : 'Nothing to do: this dead letter was already replayed.', result.requeued ? 'success' : 'info');
  } catch (e) {
    banner('Replay failed: ' + e.message, 'error');
  }
  await refreshAll();
}

async function discardOne(d) {
  const reason = await askReason('Discard this dead letter?',
    'The ' + d.event_type + ' event ' + d.dialpad_event_id + ' (app ' + d.app_id + ') is not run again: it stays '
    + 'dead-lettered, and this dead letter is resolved (no longer open) with your reason. A later replay of it does '
    + 'nothing.', 'Discard', true);
  if (reason === null) return;
  try {
    const result = await api('POST', '/dead-letters/' + encodeURIComponent(d.id) + '/discard' + query({reason}));
    banner(result.discarded ? 'Discarded: ' + d.dialpad_event_id + ' (' + reason + ').'
      : 'Nothing to do: this dead letter was already resolved.', result.discarded ? 'success' : 'info');
  } catch (e) {
    banner('Discard failed: ' + e.message, 'error');
  }
  await refreshAll();
  await loadAudit();
}

async function replaySelected() {
  const ids = [...state.deadLetters.selected];
  if (ids.length === 0) return;
  const ok = await confirmAction('Replay ' + ids.length + ' selected dead letter' + (ids.length === 1 ? '' : 's') + '?',
    'Their events go back to the queue with a fresh attempt count.', 'Replay ' + ids.length);
  if (!ok) return;
  try {
    const result = await api('POST', '/dead-letters/replay', {ids});
    state.deadLetters.selected.clear();
    banner('Replayed ' + result.requeued + ' of ' + ids.length + ' selected: back in the queue.', 'success');
  } catch (e) {
    banner('Replay failed: ' + e.message, 'error');
  }
  await refreshAll();
}

async function replayMatching() {
  const filter = deadLetterFilter();
  const described = [['type', filter.event_type], ['app', filter.app_id], ['from', filter.from], ['to', filter.to],
    ['error contains', filter.error]].filter(([, v]) => v).map(([k, v]) => k + ' ' + v).join(', ');
  const count = $('dl-state').value === 'false' ? number(state.deadLetters.total) + ' ' : '';
  const ok = await confirmAction('Replay all ' + count + 'matching dead letters?',
    'Every open dead letter ' + (described ? 'matching ' + described : 'of every type and app')
    + ' is replayed (not only this page): the events go back to the queue with a fresh attempt count.',
    'Replay all ' + count.trim());
  if (!ok) return;
  try {
    const params = {event_type: filter.event_type, app_id: filter.app_id, from: filter.from, to: filter.to,
      error: filter.error};
    if (!described) params.all = 'true';
    const result = await api('POST', '/dead-letters/replay' + query(params));
    state.deadLetters.selected.clear();
    banner('Replayed ' + number(result.requeued) + ' dead letter' + (result.requeued === 1 ? '' : 's')
      + ': back in the queue.', 'success');
  } catch (e) {
    banner('Replay failed: ' + e.message, 'error');
  }
  await refreshAll();
}

// ---- events explorer -----------------------------------------------------------------------------------------

function eventFilter() {
  const iso = (value) => (value ? new Date(value).toISOString() : '');
  return {
    event_type: $('ev-type').value,
    app_id: $('ev-app').value,
    from: iso($('ev-from').value),
    to: iso($('ev-to').value),
    outcome: $('ev-outcome').value,
    dialpad_event_id: $('ev-dialpad-id').value.trim(),
    phone: $('ev-phone').value.trim(),
  };
}

/** The first page of the events matching the form (more: the next page, older). */
async function searchEvents(more) {
  const ev = state.events;
  if (!more) ev.filter = eventFilter();
  const last = more ? ev.items[ev.items.length - 1] : null;
  try {
    const page = await api('GET', '/events' + query({...ev.filter, limit: EVENTS_PAGE,
      before: last ? last.received_at : '', before_id: last ? last.id : ''}));
    ev.items = more ? ev.items.concat(page.items) : page.items;
    ev.more = page.items.length === EVENTS_PAGE;
    renderEvents();
    if (!more && page.items.length === 1 && ev.filter.dialpad_event_id) await showEvent(page.items[0].id);
  } catch (e) {
    banner('Event search failed: ' + e.message, 'error');
  }
}

function outcomeText(e) {
  return e.outcome || (e.last_error ? 'retrying' : e.claimed_by && !e.processed_at ? 'in flight' : 'unprocessed');
}

function renderEvents() {
  const ev = state.events;
  fillTable($('ev-table'), ev.items.map((e) => el('tr', {
    dataset: {id: e.id, event: e.dialpad_event_id}, tabindex: 0, title: 'open (Enter)',
    onclick: () => showEvent(e.id),
    onkeydown: (event) => {
      if (event.key === 'Enter') showEvent(e.id);
    }},
  timeCell(e.received_at),
  el('td', {}, e.event_type),
  el('td', {}, e.app_id),
  el('td', {className: 'mono'}, e.dialpad_event_id),
  el('td', {className: e.outcome === 'dead_lettered' ? 'bad' : ''}, outcomeText(e),
    Number(e.priority) > 0 && !e.processed_at ? el('div', {className: 'muted small'}, 'reprocess (after live events)')
      : null),
  el('td', {className: 'num'}, e.attempts),
  timeCell(e.processed_at),
  el('td', {className: 'error-cell', title: e.last_error || ''}, e.last_error || ''))), 8,
  'No stored event matches this filter.');
  $('ev-count').textContent = ev.items.length + (ev.more ? '+' : '') + ' shown, newest first';
  $('ev-more').disabled = !ev.more;
}

async function showEvent(id) {
  let e;
  try {
    e = await api('GET', '/events/' + encodeURIComponent(id));
  } catch (error) {
    banner('Could not load the event: ' + error.message, 'error');
    return;
  }
  for (const row of $('ev-table').tBodies[0].rows) row.classList.toggle('current', row.dataset.id === e.id);
  $('ev-detail').hidden = false;
  $('ev-detail').dataset.id = e.id;
  $('ev-detail-id').textContent = e.dialpad_event_id;
  $('ev-detail-fields').replaceChildren(...pairs([['Event id', e.id], ['App', e.app_id], ['Type', e.event_type],
    ['Received', time(e.received_at)], ['Outcome', outcomeText(e)], ['Processed', time(e.processed_at)],
    ['Attempts', e.attempts], ['Last error', e.last_error], ['Claimed by', e.claimed_by],
    ['Claimed at', time(e.claimed_at)], ['Available at', time(e.available_at)],
    ['Priority', Number(e.priority) > 0 ? e.priority + ' (reprocess: after live events)' : e.priority]]));
  fillTable($('ev-dead-letters'), (e.dead_letters || []).map((d) => el('tr', {dataset: {id: d.id}},
    timeCell(d.failed_at),
    el('td', {className: 'error-cell', title: d.error_message || ''}, el('strong', {}, d.error_class || ''), ' ',
      d.error_message || ''),
    el('td', {className: 'num'}, d.attempts),
    el('td', {}, d.discarded_at
      ? el('span', {}, 'discarded ' + time(d.discarded_at), el('div', {className: 'small reason'}, d.discard_reason))
      : d.replayed_at ? 'replayed ' + time(d.replayed_at) : el('span', {className: 'bad'}, 'open')))), 4,
  'None: this event never exhausted its attempts.');
  $('ev-detail-payload').textContent = e.payload_text || JSON.stringify(e.payload, null, 2);
  const again = $('ev-detail-reprocess');
  again.disabled = !e.processed_at;
  again.title = e.processed_at ? 'Run this event through the current routes again' : 'not finished yet';
  again.onclick = () => reprocess({app_id: e.app_id, dialpad_event_id: e.dialpad_event_id},
    'the event ' + e.dialpad_event_id + ' (app ' + e.app_id + ')');
}

/** Reprocess the finished events matching the explorer's filter (what was last searched). */
async function reprocessMatching() {
  const f = state.events.filter || eventFilter();
  if (f.phone) {
    banner('A reprocess cannot filter by phone number: clear that field (the other filters can be used).', 'error');
    return;
  }
  if (f.outcome === 'unprocessed') {
    banner('Unprocessed events are still waiting for processing: only finished events can be reprocessed.', 'error');
    return;
  }
  const filter = {event_type: f.event_type, app_id: f.app_id, from: f.from, to: f.to, outcome: f.outcome,
    dialpad_event_id: f.dialpad_event_id};
  const described = [['type', filter.event_type], ['app', filter.app_id], ['received from', filter.from],
    ['to', filter.to], ['outcome', filter.outcome], ['Dialpad event', filter.dialpad_event_id]]
    .filter(([, v]) => v).map(([k, v]) => k + ' ' + v).join(', ');
  await reprocess(filter, described ? 'the finished events matching ' + described : 'every finished event');
}

/** Dry run first (how many match), then a confirmation naming that number, then the job and its progress. */
async function reprocess(filter, described) {
  const params = {...filter};
  if (!Object.values(params).some((v) => v)) params.all = 'true';
  let count;
  try {
    count = await api('POST', '/events/reprocess' + query({...params, dry_run: 'true'}));
  } catch (e) {
    banner('Reprocess failed: ' + e.message, 'error');
    return;
  }
  const n = Number(count.matching);
  if (n === 0) {
    banner('Nothing to reprocess: no finished event matches ' + described + '.', 'info');
    return;
  }
  const ok = await confirmAction('Reprocess ' + number(n) + ' event' + (n === 1 ? '' : 's') + '?',
    number(n) + ' stored event' + (n === 1 ? '' : 's') + ' (' + described + ') go back to the queue in batches and '
    + 'run through the current routes again, after live events. Projections are merges: running an event again is '
    + 'safe.', 'Reprocess ' + number(n));
  if (!ok) return;
  try {
    const job = await api('POST', '/events/reprocess' + query(params));
    banner('Reprocess job ' + job.job_id + ' started: ' + number(job.matching) + ' event'
      + (Number(job.matching) === 1 ? '' : 's') + ' to queue again.', 'success');
  } catch (e) {
    banner('Reprocess failed: ' + e.message, 'error');
    return;
  }
  watchJobs();
  await loadAudit();
}

async function loadJobs() {
  const result = await api('GET', '/events/reprocess');
  const jobs = result.items || [];
  $('jobs-box').hidden = jobs.length === 0;
  fillTable($('jobs-table'), jobs.slice(0, 10).map((j) => el('tr', {dataset: {job: j.id, status: j.status}},
    el('td', {className: 'num'}, j.id),
    el('td', {className: 'mono small'}, compact(j.filter)),
    el('td', {}, progress(j.requeued, j.total)),
    el('td', {}, el('span', {className: 'status job-' + j.status}, j.status)),
    el('td', {className: 'small'}, j.created_by || ''),
    timeCell(j.created_at),
    timeCell(j.finished_at))), 7, 'No reprocess job yet.', jobs.slice(0, 10));
  return jobs.some((j) => j.status === 'running');
}

/** Polls GET /events/reprocess every second while a job runs (and once more when it ends). */
function watchJobs() {
  if (state.watching.jobs) return;
  const tick = async () => {
    let running = false;
    try {
      running = await loadJobs();
    } catch (e) {
      running = true;
    }
    state.watching.jobs = running ? setTimeout(tick, WATCH_MS) : null;
    if (!running) loadAudit().catch(() => {});
  };
  state.watching.jobs = setTimeout(tick, 0);
}

// ---- calls ---------------------------------------------------------------------------------------------------

async function searchCalls() {
  const q = $('call-q').value.trim();
  try {
    const result = await api('GET', '/calls' + query({q, limit: 25}));
    $('calls-count').textContent = q ? result.items.length + ' found' : 'newest ' + result.items.length;
    const body = $('calls-table').tBodies[0];
    if (result.items.length === 0) {
      body.replaceChildren(el('tr', {}, el('td', {colspan: 9, className: 'muted empty'},
        q ? 'No call with this id or number.' : 'No calls yet.')));
    } else {
      body.replaceChildren(...result.items.map((c) => el('tr', {
        dataset: {callId: c.dialpad_call_id}, tabindex: 0, title: 'open (Enter)',
        onclick: () => showCall(c.dialpad_call_id, false, c.app_id),
        onkeydown: (event) => {
          if (event.key === 'Enter') showCall(c.dialpad_call_id, false, c.app_id);
        }},
      el('td', {className: 'mono'}, c.dialpad_call_id),
      el('td', {}, el('span', {className: 'status ' + (c.status || 'none')}, c.status || '—')),
      el('td', {}, c.direction || ''),
      el('td', {className: 'mono'}, c.from_number || ''),
      el('td', {className: 'mono'}, c.to_number || ''),
      timeCell(c.started_at),
      timeCell(c.ended_at),
      el('td', {}, c.last_state || ''),
      el('td', {}, c.app_id))));
    }
    if (q && result.items.length === 0 && /^[0-9]{1,19}$/.test(q)) {
      await showCall(q, true);
    } else if (q && result.items.length === 1) {
      await showCall(result.items[0].dialpad_call_id, false, result.items[0].app_id);
    }
  } catch (e) {
    banner('Search failed: ' + e.message, 'error');
  }
}

async function showCall(callId, quiet, appId) {
  let detail;
  try {
    detail = await api('GET', '/calls/' + encodeURIComponent(callId)
      + (appId ? '?app_id=' + encodeURIComponent(appId) : ''));
  } catch (e) {
    if (!quiet) banner('Could not load call ' + callId + ': ' + e.message, 'error');
    $('call-detail').hidden = true;
    return;
  }
  $('call-detail').hidden = false;
  $('call-detail-id').textContent = callId;
  const c = detail.call;
  const row = $('call-row');
  if (!c) {
    row.replaceChildren(el('dt', {}, 'Row'), el('dd', {className: 'muted'},
      'not projected (yet): see the events\' outcomes'));
  } else {
    const keys = ['dialpad_call_id', 'app_id', 'status', 'direction', 'from_number', 'to_number', 'started_at',
      'answered_at', 'ended_at', 'duration_ms', 'recording_url', 'voicemail_url', 'master_call_id',
      'entry_point_call_id', 'operator_call_id', 'interaction_id', 'group_id', 'was_recorded', 'is_transferred',
      'last_state', 'last_event_at', 'created_at', 'updated_at'];
    row.replaceChildren(...keys.flatMap((k) => [el('dt', {}, k),
      el('dd', {className: 'mono'}, k.endsWith('_at') && c[k] ? time(c[k]) : (c[k] === null ? '—' : c[k]))]));
  }
  showCallParties(c || {});
  showRecordings(detail.recordings || []);
  showInsights(detail.insights);
  showInteraction(detail.interaction, c);
  const body = $('call-events').tBodies[0];
  body.replaceChildren(...detail.events.map((e) => el('tr', {dataset: {event: e.dialpad_event_id}},
    el('td', {title: e.event_timestamp || ''}, e.event_time ? time(e.event_time) : (e.event_timestamp || '')),
    el('td', {}, e.event_type),
    el('td', {}, e.state || ''),
    timeCell(e.received_at),
    el('td', {className: e.outcome === 'dead_lettered' ? 'bad' : ''},
      e.outcome || (e.last_error ? 'retrying' : 'unprocessed'),
      e.last_error ? el('div', {className: 'muted small'}, e.last_error) : null),
    el('td', {className: 'num'}, e.attempts),
    el('td', {}, el('details', {}, el('summary', {}, 'payload'), el('pre', {className: 'text'}, e.payload_text))))));
}

/** The agent, the contact, and the call's times, labels and scores. */
function showCallParties(c) {
  $('call-agent').replaceChildren(...pairs([['Name', c.agent_name], ['E-mail', c.agent_email],
    ['Type', c.agent_type], ['Id', c.agent_id]]));
  $('call-contact').replaceChildren(...pairs([['Name', c.contact_name], ['Phone', c.contact_phone],
    ['Id', c.contact_id]]));
  $('call-metrics').replaceChildren(...pairs([['Talk time', millis(c.talk_time_ms)],
    ['Hold time', millis(c.hold_time_ms)], ['Total duration', millis(c.total_duration_ms)],
    ['Labels', c.labels && c.labels.length ? c.labels.join(', ') : null], ['MOS', c.mos_score],
    ['CSAT', c.csat_score]]));
}

function showRecordings(recordings) {
  fillTable($('call-recordings'), recordings.map((r) => el('tr', {dataset: {recording: r.recording_id}},
    el('td', {}, r.recording_type),
    el('td', {className: 'mono'}, r.recording_id),
    el('td', {}, link(r.url)),
    el('td', {className: 'num'}, millis(r.duration_ms)),
    timeCell(r.started_at))), 5, 'No recordings of this call.');
}

function showInsights(insights) {
  const node = $('call-insights');
  if (!insights) {
    node.replaceChildren(el('dt', {}, 'Insights'), el('dd', {className: 'muted'}, 'none for this call (yet)'));
    return;
  }
  node.replaceChildren(
    el('dt', {}, 'Recap summary'), el('dd', {}, orDash(insights.recap_summary)),
    el('dt', {}, 'Recap outcome'), el('dd', {}, orDash(insights.recap_outcome)),
    el('dt', {}, 'Action items'), el('dd', {}, textList(insights.recap_action_items)),
    el('dt', {}, 'Purposes'), el('dd', {}, textList(insights.recap_purposes)),
    el('dt', {}, 'Dispositions'), el('dd', {}, orDash(plain(insights.dispositions))),
    el('dt', {}, 'CSAT'), el('dd', {}, orDash(insights.csat_score)),
    el('dt', {}, 'Transcription'), el('dd', {}, insights.transcription_text
      ? el('pre', {className: 'text'}, insights.transcription_text) : '—'));
}

/** The customer interaction the call belongs to, and its legs: a click (or Enter) on a leg opens that leg. */
function showInteraction(interaction, current) {
  const legs = (interaction && interaction.legs) || [];
  $('call-legs-box').hidden = !interaction;
  if (!interaction) {
    $('call-interaction').replaceChildren(el('dt', {}, 'Interaction'),
      el('dd', {className: 'muted'}, 'not part of an interaction (yet)'));
    $('call-legs').tBodies[0].replaceChildren();
    return;
  }
  const by = legs.find((l) => l.agent_id && l.agent_id === interaction.answered_by_agent_id);
  const answeredBy = interaction.answered_by_agent_id
    ? (by && by.agent_name ? by.agent_name + ' (' + interaction.answered_by_agent_id + ')'
      : interaction.answered_by_agent_id) : null;
  $('call-interaction').replaceChildren(...pairs([['Interaction id', interaction.interaction_id],
    ['Outcome', interaction.outcome], ['Answered', interaction.answered ? 'yes' : 'no'], ['Answered by', answeredBy],
    ['Talk time', millis(interaction.talk_time_ms)], ['Started', time(interaction.started_at)],
    ['Ended', time(interaction.ended_at)], ['Legs', legs.length]]));
  fillTable($('call-legs'), legs.map((l) => el('tr', {
    dataset: {callId: l.dialpad_call_id},
    className: current && current.dialpad_call_id === l.dialpad_call_id && current.app_id === l.app_id
      ? 'current' : '',
    tabindex: 0, title: 'open this leg (Enter)',
    onclick: () => showCall(l.dialpad_call_id, false, l.app_id),
    onkeydown: (event) => {
      if (event.key === 'Enter') showCall(l.dialpad_call_id, false, l.app_id);
    }},
  el('td', {className: 'mono'}, l.dialpad_call_id),
  el('td', {}, el('span', {className: 'status ' + (l.status || 'none')}, l.status || '—'), ' ', l.last_state || ''),
  el('td', {}, l.agent_name || l.agent_id || '—'),
  timeCell(l.started_at),
  timeCell(l.ended_at))), 5, 'No legs projected yet.');
}

// ---- contacts ------------------------------------------------------------------------------------------------

async function searchContacts() {
  const q = $('contact-q').value.trim();
  try {
    const result = await api('GET', '/contacts' + query({q, limit: 25}));
    $('contacts-count').textContent = q ? result.items.length + ' found' : 'latest ' + result.items.length;
    fillTable($('contacts-table'), result.items.map((k) => el('tr', {
      dataset: {contactId: k.dialpad_contact_id}, className: k.deleted_at ? 'deleted' : '',
      title: 'id ' + k.dialpad_contact_id + ' · app ' + k.app_id},
    el('td', {}, k.display_name || [k.first_name, k.last_name].filter(Boolean).join(' ') || '—'),
    el('td', {}, k.company_name || ''),
    el('td', {className: 'mono'}, k.primary_phone || ''),
    el('td', {}, k.primary_email || ''),
    timeCell(k.updated_at),
    k.deleted_at ? timeCell(k.deleted_at) : el('td', {className: 'muted'}, '—'))), 6,
    q ? 'No contact matches.' : 'No contacts yet.');
  } catch (e) {
    banner('Contact search failed: ' + e.message, 'error');
  }
}

// ---- agents --------------------------------------------------------------------------------------------------

async function searchAgents() {
  const q = $('agent-q').value.trim();
  try {
    const result = await api('GET', '/agents' + query({q}));
    $('agents-count').textContent = q ? result.items.length + ' found'
      : result.items.length + ' agent' + (result.items.length === 1 ? '' : 's');
    $('agent-detail').hidden = true;
    fillTable($('agents-table'), result.items.map(({agent: a, history}) => el('tr', {
      dataset: {agentId: a.dialpad_agent_id}, tabindex: 0, title: 'last status changes (Enter)',
      onclick: (event) => showAgentHistory(event.currentTarget, a, history),
      onkeydown: (event) => {
        if (event.key === 'Enter') showAgentHistory(event.currentTarget, a, history);
      }},
    el('td', {}, a.name || a.dialpad_agent_id),
    el('td', {}, a.email || ''),
    el('td', {}, el('span', {className: 'status duty-' + (a.on_duty_status || 'none')}, a.on_duty_status || '—'),
      a.on_duty_status_reason ? el('div', {className: 'muted small'}, a.on_duty_status_reason) : null),
    el('td', {}, a.availability_status || ''),
    timeCell(a.status_at))), 5, q ? 'No agent matches.' : 'No agent status received yet.');
  } catch (e) {
    banner('Agent search failed: ' + e.message, 'error');
  }
}

function showAgentHistory(row, agent, history) {
  for (const other of row.parentNode.children) other.classList.toggle('current', other === row);
  $('agent-detail').hidden = false;
  $('agent-detail-name').textContent = agent.name || agent.dialpad_agent_id;
  fillTable($('agent-history'), (history || []).map((h) => el('tr', {},
    timeCell(h.status_at),
    el('td', {}, h.on_duty_status || '—'),
    el('td', {}, h.on_duty_status_reason || ''),
    el('td', {}, h.availability_status || ''))), 4, 'No status change recorded.');
}

// ---- SMS -----------------------------------------------------------------------------------------------------

async function searchMessages() {
  const q = $('sms-q').value.trim();
  try {
    const result = await api('GET', '/messages' + query({q, limit: 25}));
    $('sms-count').textContent = q ? result.items.length + ' found' : 'newest ' + result.items.length;
    fillTable($('sms-table'), result.items.map((m) => el('tr', {dataset: {messageId: m.dialpad_message_id}},
      timeCell(m.sent_at || m.created_at),
      el('td', {}, m.direction || ''),
      el('td', {className: 'mono'}, m.from_number || ''),
      el('td', {className: 'mono'}, (m.to_number || []).join(', ')),
      el('td', {className: 'message-text'}, m.text || (m.mms ? '(MMS)' : ''),
        m.mms_url ? el('div', {className: 'small'}, link(m.mms_url)) : null),
      el('td', {}, m.status || '—',
        m.delivery_result ? el('div', {className: 'muted small'}, m.delivery_result) : null),
      el('td', {className: 'mono'}, m.dialpad_message_id),
      el('td', {}, m.app_id))), 8, q ? 'No SMS with this id or number.' : 'No SMS yet.');
  } catch (e) {
    banner('SMS search failed: ' + e.message, 'error');
  }
}

// ---- projections ---------------------------------------------------------------------------------------------

function rebuildProgress(r) {
  if (!r) return '—';
  const parts = [progress(r.done, r.total)];
  if (r.status === 'running') {
    parts.push(' · ' + (r.events_per_second !== null && r.events_per_second !== undefined
      ? Number(r.events_per_second).toLocaleString('en-US') + ' events/s' : '… events/s'));
    parts.push(' · ETA ' + (r.eta_seconds !== null && r.eta_seconds !== undefined ? seconds(r.eta_seconds) : '…'));
  }
  return el('span', {}, parts);
}

async function loadRebuilds() {
  const result = await api('GET', '/projections/rebuilds');
  const rebuilds = result.items || [];
  const latest = (name) => rebuilds.find((r) => r.projection === name);
  fillTable($('proj-table'), PROJECTIONS.map((p) => {
    const r = latest(p.name);
    const running = r && r.status === 'running';
    return el('tr', {dataset: {projection: p.name, status: r ? r.status : 'none'}},
      el('td', {}, el('strong', {}, p.name), el('div', {className: 'muted small'}, 'events ' + p.events)),
      el('td', {className: 'mono small'}, p.tables.join(', ')),
      el('td', {}, r ? el('span', {}, el('span', {className: 'status job-' + r.status}, r.status), ' ',
        time(r.swapped_at || r.started_at)) : el('span', {className: 'muted'}, 'never')),
      el('td', {className: 'rebuild-progress'}, running ? rebuildProgress(r) : r ? number(r.done) + ' events' : ''),
      el('td', {}, el('button', {type: 'button', className: 'danger rebuild', disabled: running,
        onclick: () => rebuild(p)}, running ? 'Rebuilding…' : 'Rebuild…')));
  }), 5, '', rebuilds);
  fillTable($('rebuilds-table'), rebuilds.map((r) => el('tr', {dataset: {rebuild: r.id, status: r.status}},
    el('td', {className: 'num'}, r.id),
    el('td', {}, r.projection),
    el('td', {}, el('span', {className: 'status job-' + r.status}, r.status)),
    el('td', {}, rebuildProgress(r)),
    el('td', {className: 'num'}, r.events_per_second === null ? '–' : Number(r.events_per_second)
      .toLocaleString('en-US')),
    el('td', {className: 'small'}, r.requested_by || ''),
    timeCell(r.started_at),
    timeCell(r.swapped_at),
    el('td', {className: 'error-cell', title: r.error || ''}, r.error || ''))), 9, 'No rebuild yet.', rebuilds);
  return rebuilds.some((r) => r.status === 'running');
}

async function rebuild(p) {
  const ok = await confirmAction('Rebuild ' + p.name + '?',
    'Every stored ' + p.events + ' event runs through the current routes into a copy of ' + p.tables.join(', ')
    + '; live processing goes on meanwhile, and the copy is swapped in under a short lock at the end. Rows whose '
    + 'events retention already deleted will not be in the rebuilt table.', 'Rebuild ' + p.name);
  if (!ok) return;
  try {
    const r = await api('POST', '/projections/' + encodeURIComponent(p.name) + '/rebuild');
    banner('Rebuild ' + r.id + ' of ' + p.name + ' started: ' + number(r.total) + ' events to run.', 'success');
  } catch (e) {
    banner('Rebuild of ' + p.name + ' failed: ' + e.message, 'error');
  }
  watchRebuilds();
  await loadAudit();
}

/** Polls GET /projections/rebuilds every second while a rebuild runs (and once more when it ends). */
function watchRebuilds() {
  if (state.watching.rebuilds) return;
  const tick = async () => {
    let running = false;
    try {
      running = await loadRebuilds();
    } catch (e) {
      running = true;
    }
    state.watching.rebuilds = running ? setTimeout(tick, WATCH_MS) : null;
    if (!running) loadAudit().catch(() => {});
  };
  state.watching.rebuilds = setTimeout(tick, 0);
}

// ---- audit log -----------------------------------------------------------------------------------------------

/** The newest page (more: the next, older page, appended). */
async function loadAudit(more) {
  const audit = state.audit;
  if (!more && audit.expanded) return; // the person is reading older pages: the list is not replaced under them
  const last = more ? audit.items[audit.items.length - 1] : null;
  const page = await api('GET', '/audit-log' + query({limit: AUDIT_PAGE, before_id: last ? last.id : ''}));
  audit.items = more ? audit.items.concat(page.items) : page.items;
  audit.more = page.items.length === AUDIT_PAGE;
  if (more) audit.expanded = true;
  fillTable($('audit-table'), audit.items.map((a) => el('tr', {dataset: {id: a.id, action: a.action}},
    timeCell(a.at),
    el('td', {className: 'small'}, a.actor),
    el('td', {className: 'mono small'}, a.client || ''),
    el('td', {className: 'action'}, a.action),
    el('td', {className: 'mono small'}, a.method + ' ' + a.path),
    el('td', {className: 'mono small'}, compact(a.filter)),
    el('td', {className: 'num' + (Number(a.status) >= 400 ? ' bad' : '')}, a.status),
    el('td', {className: 'mono small'}, compact(a.result)))), 8, 'No operator action yet.', audit.items);
  $('audit-more').disabled = !audit.more;
}

// ---- wiring --------------------------------------------------------------------------------------------------

async function refreshAll() {
  if (state.refreshing) return;
  state.refreshing = true;
  try {
    await refreshOverview();
    const dialogsOpen = $('dl-detail').open || $('confirm-dialog').open || $('reason-dialog').open;
    if (!dialogsOpen) await loadDeadLetters();
    // the audit log's newest page, and the reprocess jobs and rebuilds (polled every second while one runs)
    await Promise.all([loadAudit(), loadJobs(), loadRebuilds()]);
    if ($('banner').dataset.source === 'connection') $('banner').hidden = true;
  } catch (e) {
    if (e.status !== 401) {
      banner('The service did not answer: ' + e.message + ' (retrying every ' + REFRESH_MS / 1000 + ' s)', 'error',
        'connection');
    }
  } finally {
    state.refreshing = false;
  }
}

function wire() {
  $('refresh').addEventListener('click', () => {
    state.audit.expanded = false;
    refreshAll();
  });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/console/logout');
    window.location.reload();
  });
  $('dl-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    state.deadLetters.offset = 0;
    state.deadLetters.selected.clear();
    loadDeadLetters().catch((e) => banner('Could not load dead letters: ' + e.message, 'error'));
  });
  $('dl-clear').addEventListener('click', () => {
    $('dl-filter').reset();
    $('dl-filter').requestSubmit();
  });
  $('dl-prev').addEventListener('click', () => {
    state.deadLetters.offset = Math.max(0, state.deadLetters.offset - PAGE_SIZE);
    loadDeadLetters();
  });
  $('dl-next').addEventListener('click', () => {
    state.deadLetters.offset += PAGE_SIZE;
    loadDeadLetters();
  });
  $('dl-select-all').addEventListener('change', (event) => {
    for (const d of state.deadLetters.items) {
      if (d.replayed_at) continue;
      if (event.target.checked) state.deadLetters.selected.add(d.id); else state.deadLetters.selected.delete(d.id);
    }
    renderDeadLetters();
  });
  $('dl-replay-selected').addEventListener('click', replaySelected);
  $('dl-replay-matching').addEventListener('click', replayMatching);
  $('call-search').addEventListener('submit', (event) => {
    event.preventDefault();
    searchCalls();
  });
  $('contact-search').addEventListener('submit', (event) => {
    event.preventDefault();
    searchContacts();
  });
  $('agent-search').addEventListener('submit', (event) => {
    event.preventDefault();
    searchAgents();
  });
  $('sms-search').addEventListener('submit', (event) => {
    event.preventDefault();
    searchMessages();
  });
  $('ev-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    $('ev-detail').hidden = true;
    searchEvents(false);
  });
  $('ev-clear').addEventListener('click', () => {
    $('ev-filter').reset();
    $('ev-filter').requestSubmit();
  });
  $('ev-more').addEventListener('click', () => searchEvents(true));
  $('ev-reprocess').addEventListener('click', reprocessMatching);
  $('processing-switch').addEventListener('click', toggleProcessing);
  $('audit-more').addEventListener('click', () => loadAudit(true)
    .catch((e) => banner('Could not load the audit log: ' + e.message, 'error')));
  // the reason dialog: its action button does nothing until a required reason is typed
  $('reason-form').addEventListener('submit', (event) => {
    const input = $('reason-input');
    const submitter = event.submitter;
    if (submitter && submitter.value === 'ok' && $('reason-dialog').dataset.required === 'true'
        && !input.value.trim()) {
      event.preventDefault();
      input.setCustomValidity('Say why: the reason is kept with the change and in the audit log.');
      input.reportValidity();
    }
  });
  $('reason-input').addEventListener('input', () => $('reason-input').setCustomValidity(''));
  $('banner').addEventListener('click', () => {
    $('banner').hidden = true;
  });
  setInterval(() => {
    // the dead-letter table is not reloaded under a person's selection or open dialog
    if ($('auto-refresh').checked && state.deadLetters.selected.size === 0) refreshAll();
    else if ($('auto-refresh').checked) refreshOverview().catch(() => {});
  }, REFRESH_MS);
}

async function start() {
  wire();
  try {
    await loadSession();
  } catch (e) {
    banner('The service did not answer: ' + e.message, 'error');
  }
  await refreshAll();
  await Promise.all([searchCalls(), searchMessages(), searchContacts(), searchAgents(), searchEvents(false)]);
}

start();
