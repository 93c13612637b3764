// Poll the package's state until it is ready, moving the progress bar.
(function () {
  var card = document.querySelector("[data-package-status]");
  if (!card) return;
  var bar = card.querySelector("[data-progress]"), label = card.querySelector("[data-state-label]");
  if (bar && bar.dataset.value) bar.style.width = bar.dataset.value + "%";  // no inline style under the CSP
  if (card.dataset.state === "ready" || card.dataset.state === "failed") return;
  function poll() {
    fetch(card.dataset.packageStatus, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%"; bar.textContent = data.progress + "%"; label.textContent = data.label;
        if (data.state === "ready" || data.state === "failed") { window.location.reload(); return; }
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
