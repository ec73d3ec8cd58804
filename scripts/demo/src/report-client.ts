/**
 * The report's browser script (plain ES2020, runs in the page): reads the embedded JSON and draws every
 * chart with uPlot, which is inlined in the page too — the report needs no network.
 */
export const REPORT_CLIENT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var width = function (el) { return Math.max(320, Math.min(1100, el.clientWidth || 900)); };
  var hours = function (list) { return list.map(function (t) { return (t - data.start) / 3600000; }); };
  var xAxis = { label: 'simulated hours since start', values: function (u, ticks) { return ticks.map(function (v) { return v.toFixed(v % 1 ? 1 : 0); }); } };
  var point = function (color, size) { return { show: true, size: size || 8, fill: color, stroke: color }; };
  var draw = function (el, options, columns) {
    options.width = width(el);
    options.height = options.height || 240;
    return new uPlot(options, columns, el);
  };

  // 1. Series with their anomaly scores, findings and remediation moments.
  data.series.forEach(function (series) {
    var el = document.getElementById(series.id);
    var x = hours(series.timestamps);
    var markers = x.map(function () { return null; });
    var actions = x.map(function () { return null; });
    series.findings.forEach(function (t) { var i = x.indexOf((t - data.start) / 3600000); if (i >= 0) markers[i] = series.values[i]; });
    series.remediations.forEach(function (t) {
      var h = (t - data.start) / 3600000, best = 0;
      for (var i = 0; i < x.length; i++) if (Math.abs(x[i] - h) < Math.abs(x[best] - h)) best = i;
      actions[best] = series.values[best];
    });
    draw(el, {
      title: series.title,
      scales: { x: { time: false }, score: { range: [0, 1] } },
      axes: [xAxis, { label: series.metric }, { scale: 'score', side: 1, label: 'anomaly score', grid: { show: false } }],
      series: [{}, { label: series.metric, stroke: '#2563eb', width: 1.5 },
        { label: 'anomaly score', scale: 'score', stroke: '#f59e0b', width: 1, fill: 'rgba(245,158,11,0.12)' },
        { label: 'remediation', stroke: '#16a34a', paths: function () { return null; }, points: { show: true, size: 18, width: 3, fill: 'rgba(0,0,0,0)', stroke: '#16a34a' } },
        { label: 'anomaly finding', stroke: '#dc2626', paths: function () { return null; }, points: point('#dc2626', 9) }],
    }, [x, series.values, series.scores, actions, markers]);
  });

  // 2. The capacity forecast: history, point forecast with its interval, threshold, exhaustion point.
  if (data.forecast) {
    var f = data.forecast, hx = hours(f.history.timestamps), fx = hours(f.forecast.timestamps), x = hx.concat(fx);
    var pad = function (before, values, after) { return new Array(before).fill(null).concat(values, new Array(after).fill(null)); };
    var exhaustion = x.map(function () { return null; });
    var ex = (f.exhaustionAt - data.start) / 3600000, best = 0;
    for (var i = 0; i < x.length; i++) if (Math.abs(x[i] - ex) < Math.abs(x[best] - ex)) best = i;
    exhaustion[best] = f.threshold;
    draw(document.getElementById('forecast-chart'), {
      title: f.series + ' — forecast made at ' + f.madeAt + ' (' + Math.round(f.level * 100) + '% interval, method ' + f.method + ')',
      scales: { x: { time: false } },
      axes: [xAxis, { label: 'disk utilisation' }],
      bands: [{ series: [3, 4], fill: 'rgba(37,99,235,0.15)' }],
      series: [{}, { label: 'observed', stroke: '#111827', width: 1.5 }, { label: 'point forecast', stroke: '#2563eb', width: 2, dash: [6, 4] },
        { label: 'upper ' + Math.round(f.level * 100) + '%', stroke: 'rgba(37,99,235,0.5)', width: 1 }, { label: 'lower', stroke: 'rgba(37,99,235,0.5)', width: 1 },
        { label: 'threshold', stroke: '#dc2626', width: 1 },
        { label: 'exhaustion (pessimistic)', stroke: '#dc2626', paths: function () { return null; }, points: point('#dc2626', 12) }],
      height: 280,
    }, [x, pad(0, f.history.values, fx.length), pad(hx.length, f.forecast.point, 0), pad(hx.length, f.forecast.upper, 0), pad(hx.length, f.forecast.lower, 0),
      x.map(function () { return f.threshold; }), exhaustion]);
  }

  // 3. The turbofan: failure probability and predicted vs true remaining cycles.
  if (data.turbofan) {
    var t = data.turbofan;
    var warn = t.cycles.map(function (c) { return c === t.warningCycle ? t.probability[t.cycles.indexOf(c)] : null; });
    draw(document.getElementById('turbofan-chart'), {
      title: 'C-MAPSS ' + t.engine + ': failure predictor along the run to failure',
      scales: { x: { time: false }, p: { range: [0, 1] } },
      axes: [{ label: 'engine cycle' }, { label: 'remaining cycles' }, { scale: 'p', side: 1, label: 'P(failure within ' + t.horizon + ' cycles)', grid: { show: false } }],
      series: [{}, { label: 'predicted remaining cycles', stroke: '#2563eb', width: 1.5 }, { label: 'true remaining cycles (capped 125)', stroke: '#6b7280', width: 1, dash: [4, 4] },
        { label: 'failure probability', scale: 'p', stroke: '#dc2626', width: 1.5 },
        { label: 'first warning', scale: 'p', stroke: '#dc2626', paths: function () { return null; }, points: point('#dc2626', 12) }],
    }, [t.cycles, t.rul, t.trueRul.map(function (v) { return Math.min(125, v); }), t.probability, warn]);
  }

  // 4. Connections to the edge gateway and the ones the threat detector flagged.
  if (data.threat) {
    var th = data.threat;
    draw(document.getElementById('threat-chart'), {
      title: 'Connections to edge-gw per simulated minute',
      scales: { x: { time: false } },
      axes: [xAxis, { label: 'connections' }],
      series: [{}, { label: 'normal', stroke: '#2563eb', width: 1 }, { label: 'port scan', stroke: '#f59e0b', width: 2 }, { label: 'flagged as threat', stroke: '#dc2626', width: 2, dash: [3, 3] }],
    }, [hours(th.timestamps), th.normal, th.scan, th.flagged]);
  }

  // 5. The remediation timeline: one lane per resource, one series per outcome.
  var timeline = data.timeline;
  if (timeline.points.length > 0) {
    var xs = timeline.points.map(function (p) { return (p.at - data.start) / 3600000; });
    var colors = { succeeded: '#16a34a', 'dry-run': '#6b7280', rejected: '#f59e0b', failed: '#dc2626', escalated: '#7c3aed', skipped: '#9ca3af', 'rolled-back': '#db2777' };
    var columns = [xs];
    var series = [{}];
    timeline.outcomes.forEach(function (outcome) {
      columns.push(timeline.points.map(function (p) { return p.outcome === outcome ? p.lane : null; }));
      series.push({ label: outcome, stroke: colors[outcome] || '#111827', paths: function () { return null; }, points: point(colors[outcome] || '#111827', 12) });
    });
    draw(document.getElementById('timeline-chart'), {
      title: 'Remediations by resource',
      scales: { x: { time: false, range: [0, data.hours] }, y: { range: [-0.5, timeline.lanes.length - 0.5] } },
      axes: [xAxis, { label: 'resource', size: 70, splits: function () { return timeline.lanes.map(function (_, i) { return i; }); }, values: function (u, ticks) { return ticks.map(function (i) { return timeline.lanes[i] || ''; }); } }],
      series: series,
      height: 60 + 36 * timeline.lanes.length,
    }, columns);
  }
  document.body.setAttribute('data-charts-drawn', String(document.querySelectorAll('.uplot').length));
})();
`;
