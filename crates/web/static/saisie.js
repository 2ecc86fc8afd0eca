// The marks grid, keyboard first: Enter and ↓ go to the next student's mark, ↑ to the previous one
// (Tab goes on as usual); pasting a column copied from a spreadsheet fills this cell and the following
// ones. Without this script the grid is a plain form that works the same, one cell at a time.
(function () {
  'use strict';
  var grid = document.querySelector('form[data-marks-grid]');
  if (!grid) return;
  var status = document.getElementById('grid-status');
  function inputs() {
    return Array.prototype.slice.call(grid.querySelectorAll('input[data-mark]'));
  }
  function go(input) {
    input.focus();
    input.select();
  }
  grid.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[data-mark]') || e.altKey || e.ctrlKey || e.metaKey) return;
    var list = inputs();
    var i = list.indexOf(t);
    if (e.key === 'Enter' || e.key === 'ArrowDown') {
      e.preventDefault();
      if (i + 1 < list.length) go(list[i + 1]);
      else if (e.key === 'Enter') grid.querySelector('button[type=submit]').focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i > 0) go(list[i - 1]);
    }
  });
  grid.addEventListener('paste', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[data-mark]')) return;
    var text = (e.clipboardData || window.clipboardData).getData('text');
    var values = text.replace(/\r\n?/g, '\n').split('\n');
    if (values.length && values[values.length - 1] === '') values.pop();
    if (values.length < 2) return; // one value: the browser pastes it as usual
    e.preventDefault();
    var list = inputs();
    var i = list.indexOf(t);
    var filled = 0;
    values.forEach(function (v) {
      if (i + filled < list.length) {
        // A row of several cells: its first one is the mark.
        list[i + filled].value = v.split('\t')[0].trim();
        filled += 1;
      }
    });
    if (status) status.textContent = (grid.getAttribute('data-pasted') || '#').replace('#', String(filled));
    go(list[Math.min(i + filled, list.length - 1)]);
  });
})();
