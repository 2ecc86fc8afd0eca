// Appraisal counters: under each textarea with data-max, "n / max caractères" follows the typing.
// The page works without it: the server shows the count at load and refuses what is too long.
(function () {
  function update(area) {
    var out = document.getElementById(area.id + '-count');
    if (!out) return;
    var n = Array.from(area.value).length;
    var max = Number(area.getAttribute('data-max'));
    out.textContent = (out.getAttribute('data-template') || '{n} / {max}')
      .replace('{n}', String(n)).replace('{max}', String(max));
    out.classList.toggle('status-late', n > max);
  }
  document.querySelectorAll('textarea[data-max]').forEach(function (area) {
    area.addEventListener('input', function () { update(area); });
    update(area);
  });
})();
