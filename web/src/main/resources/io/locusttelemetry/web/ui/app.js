// jlocust web UI: polls Locust's /stats/requests and the UI's /ui/live every 2 s; no framework, no build.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { setup: null, since: 0, testStarted: -1, sortKey: null, sortDir: 1, rows: [], charts: null, tab: "stats",
    running: false, editing: false, exceptionCount: -1 };
  const POLL_MS = 2000;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined) return "N/A";
    if (typeof v !== "number") return String(v);
    return v.toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 0 : digits });
  }
  function bytes(n) {
    if (!n) return "0";
    const u = ["B", "KiB", "MiB", "GiB"]; let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + " " + u[i];
  }
  async function api(path, options) {
    const r = await fetch(path, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}));
    const type = r.headers.get("Content-Type") || "";
    const body = type.includes("json") ? await r.json() : await r.text();
    if (!r.ok) {
      const msg = body && body.message ? body.message : (typeof body === "string" ? body : r.statusText);
      throw new Error(msg);
    }
    return body;
  }
  function notice(text, ok) {
    const n = $("notice");
    n.textContent = text; n.hidden = !text; n.className = "notice" + (ok ? " ok" : "");
    if (text && ok) setTimeout(() => { if (n.textContent === text) n.hidden = true; }, 4000);
  }

  // ---------------------------------------------------------------- start form
  function fillForm() {
    const s = state.setup;
    $("version").textContent = s.version ? "v" + s.version : "";
    $("locustfile").textContent = s.locustfile ? "Locustfile: " + s.locustfile + " · " + s.role : s.role;
    if (s.user_count) $("f-users").value = s.user_count;
    if (s.spawn_rate) $("f-rate").value = s.spawn_rate;
    if (s.run_time) $("f-runtime").value = s.run_time;
    $("f-host").value = s.host || "";
    $("shape-note").hidden = !s.shape;
    const classes = $("classes"); classes.textContent = "";
    const names = Object.keys(s.user_classes);
    for (const name of names) {
      const c = s.user_classes[name];
      const row = el("div", null, "classrow");
      const label = el("label");
      const box = el("input"); box.type = "checkbox"; box.name = "user_classes"; box.value = name; box.checked = c.selected;
      box.dataset.role = "class";
      label.append(box, el("span", name));
      const weight = el("input"); weight.type = "number"; weight.min = "0"; weight.step = "1"; weight.value = c.weight;
      weight.name = "weight_" + name; weight.title = "weight of " + name; weight.setAttribute("aria-label", "weight of " + name);
      row.append(label, el("span", "weight", "fixed"), weight);
      classes.append(row);
    }
    $("classes-box").hidden = names.length < 2;
    const opts = $("options"); opts.textContent = "";
    for (const o of s.options) {
      const label = el("label", o.flag + (o.help ? " — " + o.help : ""));
      const input = el("input"); input.type = "text"; input.name = o.name; input.value = o.value; input.dataset.role = "option";
      label.append(input); opts.append(label);
    }
    $("options-box").hidden = s.options.length === 0;
  }
  function openForm(edit) {
    state.editing = edit;
    $("form-title").textContent = edit ? "Change the running test" : "Start a new load test";
    $("f-submit").textContent = edit ? "Update" : "Start";
    for (const id of ["host-label", "runtime-label", "classes-box", "options-box"]) {
      const e = $(id);
      if (edit) { e.dataset.wasHidden = e.hidden; e.hidden = true; } else if (e.dataset.wasHidden !== undefined) { e.hidden = e.dataset.wasHidden === "true"; }
    }
    if (!edit) fillFormVisibility();
    $("form-error").textContent = "";
    $("start-dialog").showModal();
  }
  function fillFormVisibility() {
    const s = state.setup;
    $("classes-box").hidden = Object.keys(s.user_classes).length < 2;
    $("options-box").hidden = s.options.length === 0;
    $("host-label").hidden = false; $("runtime-label").hidden = false;
  }
  async function submitForm(ev) {
    ev.preventDefault();
    const data = new URLSearchParams();
    data.append("user_count", $("f-users").value.trim());
    data.append("spawn_rate", $("f-rate").value.trim());
    if (!state.editing) {
      data.append("host", $("f-host").value.trim());
      data.append("run_time", $("f-runtime").value.trim());
      if (!$("classes-box").hidden) {
        for (const box of document.querySelectorAll("input[data-role=class]")) {
          if (box.checked) {
            data.append("user_classes", box.value);
            data.append("weight_" + box.value, document.querySelector("input[name='weight_" + box.value + "']").value.trim());
          }
        }
      }
      for (const input of document.querySelectorAll("input[data-role=option]")) data.append(input.name, input.value.trim());
    }
    try {
      const r = await api("swarm", { method: "POST", body: data });
      $("start-dialog").close();
      notice(r.message, true);
      if (!state.editing) { resetCharts(); state.setup = await api("ui/setup"); }
      poll();
    } catch (e) {
      $("form-error").textContent = e.message;
    }
  }

  // ---------------------------------------------------------------- statistics
  const COLS = ["method", "name", "num_requests", "num_failures", "median_response_time", "response_time_percentile_0.95",
    "response_time_percentile_0.99", "avg_response_time", "min_response_time", "max_response_time", "avg_content_length",
    "current_rps", "current_fail_per_sec"];
  function cell(row, key) {
    const v = row[key];
    const td = el("td", key === "method" ? (v || "") : key === "name" ? v : fmt(v, key.startsWith("current") ? 1 : 0),
      key === "method" || key === "name" ? "l" : null);
    if (key === "num_failures" && v > 0) td.classList.add("fail");
    return td;
  }
  function renderStats(report) {
    const rows = report.stats.slice(0, -1);
    const total = report.stats[report.stats.length - 1];
    if (state.sortKey) {
      const k = state.sortKey, d = state.sortDir;
      rows.sort((a, b) => (a[k] === b[k] ? 0 : (a[k] === null ? -1 : b[k] === null ? 1 : a[k] < b[k] ? -1 : 1)) * d);
    }
    const body = $("stats-table").tBodies[0]; body.textContent = "";
    for (const r of rows) { const tr = el("tr"); for (const k of COLS) tr.append(cell(r, k)); body.append(tr); }
    const foot = $("stats-table").tFoot; foot.textContent = "";
    const tr = el("tr"); for (const k of COLS) tr.append(cell(Object.assign({}, total, { method: "" }), k)); foot.append(tr);
    $("stats-empty").hidden = total.num_requests > 0;
    const fails = $("failures-table").tBodies[0]; fails.textContent = "";
    const errors = report.errors.slice().sort((a, b) => b.occurrences - a.occurrences);
    for (const e of errors) {
      const r = el("tr"); r.append(el("td", fmt(e.occurrences)), el("td", e.method, "l"), el("td", e.name, "l"), el("td", e.error, "l"));
      fails.append(r);
    }
    $("failures-empty").hidden = errors.length > 0;
    $("cnt-failures").textContent = errors.length ? errors.length : "";
    $("sum-users").textContent = fmt(report.user_count);
    $("sum-rps").textContent = fmt(report.total_rps === undefined ? 0 : report.current_rps, 1);
    $("sum-fail").textContent = fmt((report.fail_ratio || 0) * 100, 1) + "%";
    const st = $("sum-state"); st.textContent = report.state; st.className = "state " + report.state;
    state.running = report.state === "running" || report.state === "spawning";
    $("btn-edit").hidden = !state.running || state.setup.shape; $("btn-stop").hidden = !state.running; $("btn-new").hidden = state.running;
    if (report.workers) renderWorkers(report.workers);
  }
  function renderWorkers(workers) {
    $("tab-workers").hidden = false; $("sum-workers-box").hidden = false;
    $("sum-workers").textContent = workers.filter((w) => w.state !== "missing").length;
    const body = $("workers-table").tBodies[0]; body.textContent = "";
    for (const w of workers) {
      const r = el("tr");
      r.append(el("td", w.id, "l"), el("td", w.kind || "", "l"), el("td", w.state, "l"), el("td", fmt(w.user_count)),
        el("td", fmt(w.cpu_usage, 1)), el("td", bytes(w.memory_usage)));
      body.append(r);
    }
    $("workers-empty").hidden = workers.length > 0;
  }

  // ---------------------------------------------------------------- charts
  function chart(id, series, stacked) {
    return new window.Chart($(id), {
      type: "line",
      data: { labels: [], datasets: series.map((s) => ({ label: s[0], borderColor: s[1], backgroundColor: s[1], data: [], pointRadius: 0,
        borderWidth: 2, tension: 0.2 })) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, stacked: !!stacked }, x: { ticks: { maxTicksLimit: 8 } } } }
    });
  }
  function initCharts() {
    if (state.charts || !window.Chart) return;
    state.charts = {
      rps: chart("chart-rps", [["RPS", "#2e8b57"], ["Failures/s", "#c0392b"]]),
      rt: chart("chart-rt", [["50th percentile", "#3b78c2"], ["95th percentile", "#c77d0a"]]),
      users: chart("chart-users", [["Users", "#6b4fbb"]])
    };
  }
  function resetCharts() {
    state.since = 0;
    if (!state.charts) return;
    for (const c of Object.values(state.charts)) { c.data.labels = []; c.data.datasets.forEach((d) => (d.data = [])); c.update(); }
  }
  function addPoints(points) {
    initCharts();
    if (!state.charts || points.length === 0) return;
    const c = state.charts;
    for (const p of points) {
      const label = new Date(p[0] * 1000).toLocaleTimeString("en-GB");
      for (const k of ["rps", "rt", "users"]) c[k].data.labels.push(label);
      c.rps.data.datasets[0].data.push(p[2]); c.rps.data.datasets[1].data.push(p[3]);
      c.rt.data.datasets[0].data.push(p[4]); c.rt.data.datasets[1].data.push(p[5]);
      c.users.data.datasets[0].data.push(p[1]);
      state.since = Math.max(state.since, p[0]);
    }
    for (const k of ["rps", "rt", "users"]) c[k].update();
  }

  // ---------------------------------------------------------------- telemetry
  function renderTelemetry(t) {
    $("t-runid").textContent = t.run_id || "-";
    $("t-testplan").textContent = t.testplan || "-";
    const list = $("t-recorders"); list.textContent = "";
    if (!t.recorders.length) list.append(el("li", t.enabled ? "no recorder reports its delivery" : "none enabled (--enable-telemetry-recorder json,otel)", "hint"));
    for (const r of t.recorders) {
      const li = el("li"); li.append(el("span", null, "dot " + r.state), el("b", r.name), document.createTextNode(" " + r.state));
      if (r.state !== "local" && r.state !== "waiting") li.append(document.createTextNode(" (" + r.delivered + " delivered, " + r.failed + " failed)"));
      if (r.target) li.append(el("small", r.target));
      if (r.detail) li.append(el("small", r.detail));
      list.append(li);
    }
    const g = $("t-grafana");
    if (t.grafana) { g.href = t.grafana; g.hidden = false; } else { g.hidden = true; }
    const body = $("t-slowest").tBodies[0]; body.textContent = "";
    for (const s of t.slowest) {
      const r = el("tr"); r.append(el("td", s.method + " " + s.name, "l"), el("td", fmt(s.response_time)));
      const td = el("td", null, "l");
      if (s.link) { const a = el("a", s.trace_id.slice(0, 12) + "…"); a.href = s.link; a.target = "_blank"; a.rel = "noopener noreferrer"; a.title = s.trace_id; td.append(a); }
      else td.append(el("code", s.trace_id.slice(0, 16), null));
      r.append(td); body.append(r);
    }
    $("t-slowest-empty").hidden = t.slowest.length > 0;
    if (state.setup && state.setup.role === "MasterRunner") $("t-slowest-empty").textContent = "A master's workers keep their own traced requests.";
  }

  // ---------------------------------------------------------------- other tabs
  async function loadExceptions() {
    const r = await api("exceptions");
    const body = $("exceptions-table").tBodies[0]; body.textContent = "";
    for (const e of r.exceptions) {
      const tr = el("tr"); const tb = el("td", null, "l"); tb.append(el("pre", e.traceback));
      tr.append(el("td", fmt(e.count)), el("td", e.msg, "l"), tb, el("td", e.nodes, "l")); body.append(tr);
    }
    $("exceptions-empty").hidden = r.exceptions.length > 0;
  }
  function taskTree(ul, tasks) {
    for (const [name, t] of Object.entries(tasks)) {
      const li = el("li"); li.append(el("span", (t.ratio * 100).toFixed(1) + "%", "pct"), document.createTextNode(name));
      if (t.tasks && Object.keys(t.tasks).length) { const sub = el("ul"); taskTree(sub, t.tasks); li.append(sub); }
      ul.append(li);
    }
  }
  async function loadTasks() {
    const r = await api("tasks"); const ul = $("tasks"); ul.textContent = ""; taskTree(ul, r.total);
  }
  async function loadLogs() {
    const r = await api("logs"); const pre = $("logs"); const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
    pre.textContent = r.master.join("\n"); if (atEnd) pre.scrollTop = pre.scrollHeight;
  }

  // ---------------------------------------------------------------- polling
  async function poll() {
    try {
      const [report, live] = await Promise.all([api("stats/requests"), api("ui/live?since=" + state.since)]);
      if (live.test_started !== state.testStarted) {
        if (state.testStarted !== -1) resetCharts();
        state.testStarted = live.test_started;
      }
      renderStats(report);
      addPoints(live.history);
      renderTelemetry(live.telemetry);
      $("cnt-exceptions").textContent = live.exception_count ? live.exception_count : "";
      if (state.tab === "exceptions" && live.exception_count !== state.exceptionCount) { state.exceptionCount = live.exception_count; loadExceptions(); }
      if (state.tab === "tasks") loadTasks();
      if (state.tab === "logs") loadLogs();
      if ($("notice").className === "notice" && $("notice").textContent.startsWith("Lost")) notice("");
    } catch (e) {
      notice("Lost contact with jlocust: " + e.message);
    }
  }

  function showTab(name) {
    state.tab = name;
    for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
    for (const s of document.querySelectorAll(".tab")) s.classList.toggle("active", s.id === "tab-" + name);
    if (name === "charts") { initCharts(); if (state.charts) Object.values(state.charts).forEach((c) => c.resize()); }
    if (name === "exceptions") { state.exceptionCount = -1; loadExceptions(); }
    if (name === "tasks") loadTasks();
    if (name === "logs") loadLogs();
  }

  async function start() {
    state.setup = await api("ui/setup");
    fillForm();
    $("sum-host").textContent = state.setup.host || "(per user class)";
    for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
    for (const th of document.querySelectorAll("#stats-table th")) {
      th.addEventListener("click", () => {
        const k = th.dataset.key;
        state.sortDir = state.sortKey === k ? -state.sortDir : 1; state.sortKey = k;
        for (const o of document.querySelectorAll("#stats-table th")) o.classList.remove("asc", "desc");
        th.classList.add(state.sortDir > 0 ? "asc" : "desc"); poll();
      });
    }
    $("btn-new").addEventListener("click", async () => { state.setup = await api("ui/setup"); fillForm(); openForm(false); });
    $("btn-edit").addEventListener("click", () => openForm(true));
    $("f-cancel").addEventListener("click", () => $("start-dialog").close());
    $("start-form").addEventListener("submit", submitForm);
    $("btn-stop").addEventListener("click", async () => { try { notice((await api("stop")).message, true); poll(); } catch (e) { notice(e.message); } });
    $("btn-reset").addEventListener("click", async () => { try { await api("stats/reset"); resetCharts(); notice("Statistics reset", true); poll(); } catch (e) { notice(e.message); } });
    await poll();
    if (!state.running && state.testStarted === 0) openForm(false);
    setInterval(() => { poll(); $("sum-host").textContent = state.setup.host || "(per user class)"; }, POLL_MS);
  }
  document.addEventListener("DOMContentLoaded", () => start().catch((e) => notice("Cannot load the web UI: " + e.message)));
})();
