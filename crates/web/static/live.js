// Keeps the parts of a page marked `data-live="<seconds>"` (each with an id) fresh: while the page is
// visible, it is fetched again every so many seconds and those parts replaced. Without JavaScript the
// page's own "Actualiser" link does the same by hand.
(function () {
  var live = document.querySelectorAll('[data-live][id]');
  if (!live.length) return;
  var secs = parseInt(live[0].getAttribute('data-live'), 10) || 30;
  function refresh() {
    if (document.hidden) return;
    fetch(location.href, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        live.forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) el.innerHTML = fresh.innerHTML;
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, secs * 1000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) refresh();
  });
})();
