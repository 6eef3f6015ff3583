// The counterexample page's script (inlined into the page; no network, no eval).
// Click a step of the race diagram, or use the arrow keys, to see the whole
// state after it, with what the step changed; copy buttons copy the replay
// command and token.
(function () {
  'use strict';
  var holder = document.getElementById('kvmcheck-data');
  var pane = document.getElementById('state-pane');
  if (!holder || !pane) return;
  var data = JSON.parse(holder.textContent || '{}');
  var steps = data.steps || [];
  var states = data.states || [];
  var rows = Array.prototype.slice.call(document.querySelectorAll('g.step'));
  var selected = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(v) {
    if (v === undefined) return '∅';
    if (v === null) return 'null';
    if (typeof v === 'string') return /^[\w.:/-]+$/.test(v) ? v : JSON.stringify(v);
    if (typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return '[' + v.map(show).join(', ') + ']';
    return (
      '{' +
      Object.keys(v)
        .filter(function (k) {
          return v[k] !== undefined;
        })
        .map(function (k) {
          return k + ': ' + show(v[k]);
        })
        .join(', ') +
      '}'
    );
  }

  // a change at or under a row's path, or a whole the row is part of, marks the row
  function under(a, b) {
    return a === b || (a.indexOf(b) === 0 && (a.charAt(b.length) === '.' || a.charAt(b.length) === '['));
  }
  function touches(rowPath, changes) {
    return changes.some(function (c) {
      return under(c.path, rowPath) || under(rowPath, c.path);
    });
  }

  function select(k) {
    if (k < 0 || k >= states.length) return;
    selected = k;
    rows.forEach(function (g) {
      g.classList.toggle('selected', Number(g.getAttribute('data-step')) === k);
    });
    var step = k > 0 ? steps[k - 1] : undefined;
    var changes = step ? step.changes : [];
    pane.textContent = '';
    pane.setAttribute('data-step', String(k));
    var head = el('h3', 'pane-title', step ? 'after step ' + k + ': ' + step.thread : 'initial state');
    pane.appendChild(head);
    if (step) {
      pane.appendChild(
        el('p', 'pane-step', step.step + (step.choice !== undefined ? ' [' + step.choice + ']' : '')),
      );
      if (step.kernel) pane.appendChild(el('p', 'pane-kernel', step.kernel));
      var diff = el('div', 'diff');
      diff.appendChild(el('h4', '', 'changed by this step'));
      if (changes.length === 0) diff.appendChild(el('p', 'none', '(no state change)'));
      changes.forEach(function (c) {
        var line = el('div', 'change');
        line.appendChild(el('span', 'path', c.path + ': '));
        line.appendChild(el('span', 'from', show(c.from)));
        line.appendChild(document.createTextNode(' → '));
        line.appendChild(el('span', 'to', show(c.to)));
        diff.appendChild(line);
      });
      pane.appendChild(diff);
    }
    states[k].forEach(function (group) {
      var section = el('div', 'group');
      section.appendChild(el('h4', '', group.title));
      var table = el('table', '');
      group.rows.forEach(function (r) {
        var tr = el('tr', touches(r.path, changes) ? 'changed' : '');
        tr.appendChild(el('th', '', r.key));
        tr.appendChild(el('td', '', r.value));
        table.appendChild(tr);
      });
      section.appendChild(table);
      pane.appendChild(section);
    });
  }

  rows.forEach(function (g) {
    g.addEventListener('click', function () {
      select(Number(g.getAttribute('data-step')));
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'j') select(selected + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'k') select(selected - 1);
    else if (e.key === 'Home') select(0);
    else if (e.key === 'End') select(states.length - 1);
    else return;
    e.preventDefault();
  });

  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (b) {
    b.addEventListener('click', function () {
      var code = document.getElementById(b.getAttribute('data-copy'));
      if (!code) return;
      var text = code.textContent || '';
      var done = function () {
        b.textContent = 'copied';
      };
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).then(done, function () {
          selectText(code);
        });
      else selectText(code);
    });
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // start on the step that breaks the property (the last one)
  select(states.length - 1);
})();
