// Draws every <canvas data-chart="ID"> from the JSON block #ID (portal.charts.Chart.as_data, rendered by
// json_script: data, never executed). Targets are extra dashed line datasets, so no Chart.js plugin is needed.
// A drawn canvas gets data-drawn="1" (the browser tests wait for it). Needs vendor/chartjs/chart.umd.js first.
(function () {
  if (!window.Chart) return;
  var SERIES_COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#20c997", "#d63384", "#0dcaf0", "#ffc107", "#6c757d", "#8b1a1a"];
  var TARGET_COLOURS = ["#dc3545", "#212529", "#6c757d"];
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function colour(list, i) { return list[i % list.length]; }

  function format(value, unit) {
    if (value === null || value === undefined || isNaN(value)) return "无数据";
    return value.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + (unit ? " " + unit : "");
  }

  function seriesDataset(data, series, i) {
    var line = data.kind === "line";
    return {
      type: line ? "line" : "bar", label: series.name, data: series.values, order: 1,
      backgroundColor: colour(SERIES_COLOURS, i), borderColor: colour(SERIES_COLOURS, i),
      borderWidth: line ? 2 : 0, pointRadius: line ? 3 : 0, pointStyle: line ? "circle" : "rect", fill: false
    };
  }

  // A dashed line of its own stack (never added to a stacked bar); drawn over the bars (lower order).
  function targetDataset(target, i) {
    return {
      type: "line", label: target.name, data: target.values, order: 0, stack: "target-" + i,
      borderColor: colour(TARGET_COLOURS, i), backgroundColor: colour(TARGET_COLOURS, i),
      borderDash: [6, 4], borderWidth: 2, pointStyle: "line", pointRadius: 4, pointHoverRadius: 6, fill: false
    };
  }

  function doughnutDataset(data) {
    var series = data.series[0];
    return { label: series.name, data: series.values, backgroundColor: data.labels.map(function (_, i) { return colour(SERIES_COLOURS, i); }) };
  }

  function tooltipLabel(data) {
    return function (ctx) {
      if (data.kind === "doughnut") {
        var total = ctx.dataset.data.reduce(function (sum, v) { return sum + (v || 0); }, 0);
        var share = total ? "（" + (ctx.parsed * 100 / total).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "%）" : "";
        return ctx.label + "：" + format(ctx.parsed, data.unit) + share;
      }
      return ctx.dataset.label + "：" + format(ctx.parsed.y, data.unit);
    };
  }

  function counts(data) {
    // Whole numbers only (家、个、人): no 0.2 ticks on the axis.
    return data.series.every(function (s) {
      return s.values.every(function (v) { return v === null || Number.isInteger(v); });
    });
  }

  function scales(data) {
    var stacked = data.kind === "stacked-bar";
    return {
      x: { stacked: stacked },
      y: {
        stacked: stacked, beginAtZero: true,
        title: { display: Boolean(data.unit), text: "单位：" + data.unit },
        ticks: { precision: counts(data) ? 0 : undefined, callback: function (value) { return format(value, ""); } }
      }
    };
  }

  function config(data) {
    var doughnut = data.kind === "doughnut";
    return {
      type: doughnut ? "doughnut" : (data.kind === "line" ? "line" : "bar"),
      data: {
        labels: data.labels,
        datasets: doughnut ? [doughnutDataset(data)] : data.series.map(function (s, i) { return seriesDataset(data, s, i); })
          .concat(data.targets.map(targetDataset))
      },
      options: {
        locale: "zh-CN", aspectRatio: 2, animation: reducedMotion.matches ? false : { duration: 400 },
        interaction: doughnut ? { mode: "nearest", intersect: true } : { mode: "index", intersect: false },
        scales: doughnut ? {} : scales(data),
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 8 } }, tooltip: { callbacks: { label: tooltipLabel(data) } } }
      },
      plugins: [{ id: "portalDrawn", afterRender: function (chart) { chart.canvas.dataset.drawn = "1"; } }]
    };
  }

  function draw(canvas) {
    if (canvas.dataset.drawn) return;
    var block = document.getElementById(canvas.dataset.chart);
    new window.Chart(canvas, config(JSON.parse(block.textContent)));
  }

  window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
