/**
 * The report's whole script, inlined and allowed by its CSP hash: sortable and filterable static
 * tables, and the flagged-accounts table paginated from the embedded JSON (so 25,000 accounts
 * stay light in the DOM). It builds rows with `textContent` only, never `innerHTML`: account ids
 * and reason details are attacker-controlled.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  function cellKey(cell, numeric) {
    var raw = cell.getAttribute('data-sort');
    if (raw === null) raw = cell.textContent || '';
    if (!numeric) return raw.toLowerCase();
    var value = parseFloat(raw);
    return isNaN(value) ? -Infinity : value;
  }
  function compare(left, right) { return left < right ? -1 : left > right ? 1 : 0; }
  function clearSort(headers, except) {
    headers.forEach(function (header) { if (header !== except) header.removeAttribute('aria-sort'); });
  }
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (header, column) {
      header.addEventListener('click', function () {
        var numeric = header.getAttribute('data-type') === 'number';
        var direction = header.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        clearSort(headers, header);
        header.setAttribute('aria-sort', direction);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (left, right) {
          var order = compare(cellKey(left.cells[column], numeric), cellKey(right.cells[column], numeric));
          return direction === 'ascending' ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.querySelectorAll('input[data-filter-for]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter-for'));
    var counter = document.getElementById(input.getAttribute('data-filter-for') + '-count');
    input.addEventListener('input', function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = query === '' || (row.textContent || '').toLowerCase().indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown++;
      });
      if (counter) counter.textContent = shown + ' shown';
    });
  });

  var blob = document.getElementById('account-data');
  if (!blob) return;
  var data = JSON.parse(blob.textContent || '{}');
  var strings = data.strings || [];
  var accounts = data.accounts || [];
  var table = document.getElementById('accounts');
  var body = table.tBodies[0];
  var filter = document.getElementById('account-filter');
  var verdictSelect = document.getElementById('account-verdict');
  var campaignSelect = document.getElementById('account-campaign');
  var status = document.getElementById('account-status');
  var previous = document.getElementById('account-previous');
  var next = document.getElementById('account-next');
  var pageSize = data.pageSize || 100;
  var state = { query: '', verdict: '', campaign: '', key: 'score', direction: 'descending', page: 0 };
  var keys = { account: 0, verdict: 1, score: 2, flagged: 3, campaign: 4 };
  function text(index) { return index < 0 ? '' : strings[index]; }
  function searchable(row) {
    var parts = [row[0], text(row[4])];
    row[5].forEach(function (reason) { parts.push(text(reason[0]), text(reason[1])); });
    return parts.join(' ').toLowerCase();
  }
  accounts.forEach(function (row) { row.search = searchable(row); });
  function value(row, key) {
    var column = keys[key];
    if (key === 'campaign') return text(row[4]);
    if (key === 'flagged') return row[3] || '~';
    return row[column];
  }
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }
  function render() {
    var query = state.query;
    var rows = accounts.filter(function (row) {
      return (query === '' || row.search.indexOf(query) !== -1) &&
        (state.verdict === '' || row[1] === state.verdict) &&
        (state.campaign === '' || text(row[4]) === state.campaign);
    });
    rows.sort(function (left, right) {
      var order = compare(value(left, state.key), value(right, state.key));
      if (order === 0) order = compare(left[0], right[0]);
      return state.direction === 'ascending' ? order : -order;
    });
    var pages = Math.max(1, Math.ceil(rows.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * pageSize;
    var fragment = document.createDocumentFragment();
    rows.slice(start, start + pageSize).forEach(function (row) {
      var tr = document.createElement('tr');
      var idCell = element('td', 'id', row[0]);
      idCell.title = row[0];
      tr.appendChild(idCell);
      tr.appendChild(element('td', 'verdict-' + row[1], row[1]));
      tr.appendChild(element('td', 'number', row[2].toFixed(3)));
      tr.appendChild(element('td', '', row[3] ? row[3].slice(0, 19).replace('T', ' ') : 'never'));
      tr.appendChild(element('td', 'id', text(row[4]) || '—'));
      var cell = element('td', 'reasons-cell');
      row[5].forEach(function (reason) {
        var line = element('div');
        line.appendChild(element('span', 'reason-code', text(reason[0])));
        line.appendChild(document.createTextNode(text(reason[1])));
        cell.appendChild(line);
      });
      if (row[6]) cell.appendChild(element('div', 'muted', 'reseller for: ' + row[6].map(text).join(', ')));
      tr.appendChild(cell);
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    status.textContent = rows.length === 0 ? 'no matching accounts' :
      (start + 1) + '–' + Math.min(start + pageSize, rows.length) + ' of ' + rows.length +
      ' (page ' + (state.page + 1) + ' of ' + pages + ')';
    previous.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
      if (header.getAttribute('data-key') === state.key) header.setAttribute('aria-sort', state.direction);
      else header.removeAttribute('aria-sort');
    });
  }
  filter.addEventListener('input', function () { state.query = filter.value.trim().toLowerCase(); state.page = 0; render(); });
  verdictSelect.addEventListener('change', function () { state.verdict = verdictSelect.value; state.page = 0; render(); });
  campaignSelect.addEventListener('change', function () { state.campaign = campaignSelect.value; state.page = 0; render(); });
  previous.addEventListener('click', function () { state.page--; render(); });
  next.addEventListener('click', function () { state.page++; render(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
    var key = header.getAttribute('data-key');
    if (!key) return;
    header.addEventListener('click', function () {
      state.direction = state.key === key && state.direction === 'descending' ? 'ascending' : 'descending';
      state.key = key;
      state.page = 0;
      render();
    });
  });
  render();
})();
`;
