// Keeps the header's unread-notification badge live: the server pushes the count over server-sent
// events (/notifications/flux) when it changes. Without JavaScript the header's link still leads to
// the feed, which shows the count.
(function () {
  var badge = document.querySelector('[data-notif-count]');
  if (!badge || !window.EventSource) return;
  var spoken = document.querySelector('[data-notif-spoken]');
  var source = new EventSource('/notifications/flux');
  source.addEventListener('unread', function (e) {
    var n = parseInt(e.data, 10) || 0;
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    if (spoken) {
      spoken.textContent = n === 0 ? '' : ' ' + (spoken.getAttribute('data-template') || '{n}').replace('{n}', String(n));
    }
  });
  window.addEventListener('pagehide', function () { source.close(); });
})();
