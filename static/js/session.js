// Idle timeout: the server ends a session SESSION_COOKIE_AGE seconds after the last request; warn a
// minute before, offer to continue (any request renews it), and go to the login page when it has ended.
(function () {
  "use strict";
  var body = document.body;
  var total = parseInt(body.dataset.sessionSeconds, 10);
  var warnAt = parseInt(body.dataset.sessionWarn, 10);
  var toastElement = document.getElementById("session-warning");
  if (!total || !toastElement || !window.bootstrap) { return; }
  var toast = bootstrap.Toast.getOrCreateInstance(toastElement);
  var left = toastElement.querySelector("[data-session-left]");
  var deadline;
  var ticker;

  function restart() {
    deadline = Date.now() + total * 1000;
    toast.hide();
  }

  function tick() {
    var seconds = Math.round((deadline - Date.now()) / 1000);
    if (seconds <= 0) {
      clearInterval(ticker);
      window.location.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
      return;
    }
    if (seconds <= warnAt) {
      left.textContent = seconds;
      toast.show();
    }
  }

  toastElement.querySelector("[data-session-continue]").addEventListener("click", function () {
    var token = document.querySelector('meta[name="csrf-token"]');
    fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.content : "" }
    }).then(function (response) {
      if (response.ok) { restart(); }
    });
  });

  // Requests made by the page itself (autosave, progress bars) renew the session on the server too.
  var originalFetch = window.fetch;
  window.fetch = function () {
    return originalFetch.apply(this, arguments).then(function (response) {
      if (response.ok) { restart(); }
      return response;
    });
  };

  restart();
  ticker = setInterval(tick, 1000);
})();
