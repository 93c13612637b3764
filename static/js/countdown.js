// Live countdown for elements carrying data-deadline (ISO 8601). The server renders the first value.
(function () {
  function render(el) {
    var ms = new Date(el.dataset.deadline) - new Date();
    if (ms <= 0) { el.textContent = "已截止"; el.classList.replace("text-bg-warning", "text-bg-secondary"); return; }
    var days = Math.floor(ms / 86400000), hours = Math.floor(ms % 86400000 / 3600000), minutes = Math.floor(ms % 3600000 / 60000);
    el.textContent = "剩余 " + (days ? days + " 天 " : "") + hours + " 小时 " + minutes + " 分";
  }
  var els = document.querySelectorAll("[data-deadline]");
  els.forEach(render);
  setInterval(function () { els.forEach(render); }, 30000);
})();
