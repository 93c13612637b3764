// The ranking board: "select all on this page", and confirm a batch decision before it is sent.
(function () {
  var form = document.querySelector("[data-board]");
  if (!form) return;
  var all = form.querySelector("[data-select-all]");
  var boxes = function () { return form.querySelectorAll("input[name=ids]"); };
  if (all) all.addEventListener("change", function () { boxes().forEach(function (b) { b.checked = all.checked; }); });
  form.addEventListener("submit", function (event) {
    var chosen = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
    if (chosen === 0) { event.preventDefault(); window.alert("请先勾选申报。"); }
  });
})();
