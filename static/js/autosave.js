// Drafts that never lose work: autosave, a warning before leaving with unsaved changes,
// live word counts, one submission per click, and confirmations for deletions.
(function () {
  "use strict";
  var IDLE_MS = parseInt(document.body.dataset.autosaveIdleMs, 10) || 4000;  // settings.AUTOSAVE_IDLE_MS

  function countWords(text) {
    var cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]/g) || []).length;
    var latin = (text.match(/[A-Za-z0-9]+/g) || []).length;
    return cjk + latin;
  }

  document.querySelectorAll("textarea[data-word-count]").forEach(function (area) {
    var out = document.querySelector('[data-word-count-for="' + area.id + '"]');
    if (!out) return;
    function count() { out.textContent = countWords(area.value); }
    count();  // what was typed before this script ran counts too
    area.addEventListener("input", count);
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.textContent = "正在提交……"; });
    });
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = form.querySelector("[data-autosave-status]");
  var revision = form.querySelector("input[name=revision]");
  var dirty = false, timer = null, saving = false, stopped = false, submitWaiting = false;

  function setStatus(text, cls) {
    if (!status) return;
    status.textContent = text;
    status.className = "small " + (cls || "text-muted");
  }

  function showErrors(errors) {
    form.querySelectorAll(".autosave-error").forEach(function (el) { el.remove(); });
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (!input) return;
      input.classList.add("is-invalid");
      var div = document.createElement("div");
      div.className = "invalid-feedback d-block autosave-error";
      div.textContent = errors[name].join(" ");
      (input.closest(".input-group") || input).insertAdjacentElement("afterend", div);
    });
  }

  function submitNow() {
    dirty = false;
    stopped = true;
    form.submit();
  }

  function autosave() {
    if (!dirty || saving || stopped) return;
    saving = true;
    setStatus("正在自动保存……");
    var body = new FormData(form);
    dirty = false;
    fetch(window.location.pathname, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Autosave": "1", "X-Requested-With": "fetch"}
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      saving = false;
      if (result.status === 409) {
        stopped = true;
        submitWaiting = false;
        dirty = true;
        setStatus(result.data.conflict, "text-danger fw-semibold");
        return;
      }
      revision.value = result.data.revision;
      if (submitWaiting) { submitNow(); return; }  // the click came while this save was on its way
      showErrors(result.data.errors);
      var count = Object.keys(result.data.errors || {}).length;
      setStatus("已自动保存 " + result.data.saved_at + (count ? "（" + count + " 项有误未保存）" : ""), count ? "text-warning" : "text-success");
    }).catch(function () {
      saving = false;
      if (submitWaiting) { submitNow(); return; }  // let the server answer the click itself
      dirty = true;
      setStatus("自动保存失败（网络中断？），请稍后点击“保存草稿”。", "text-danger");
    });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    if (event.target.classList) event.target.classList.remove("is-invalid");
    setStatus("有未保存的修改");
    clearTimeout(timer);
    timer = setTimeout(autosave, IDLE_MS);
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (saving) {
      // Posting now would carry the revision from before the autosave in flight and be refused as
      // someone else's edit: wait for it, then submit with the new revision.
      event.preventDefault();
      submitWaiting = true;
      setStatus("正在保存……");
      return;
    }
    dirty = false;
    stopped = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
