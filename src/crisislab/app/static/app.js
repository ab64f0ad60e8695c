// crisislab serve: the page's behaviour.  Talks only to this app (see the CSP);
// every fragment it inserts was rendered and escaped by the server.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const ws = document.body.dataset.workspace;
  const text = $("text"), gutter = $("gutter");
  let name = $("name").textContent.trim() || "scenario.yaml";
  let job = null, pollTimer = null, validateTimer = null, validateSeq = 0;
  let beliefSeq = 0, beliefBusy = false, beliefPending = false, cruxTimer = null;
  const MAX_UPLOAD = 1000000;

  async function post(url, body) {
    const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                body: JSON.stringify(body)});
    let data = {};
    try { data = await r.json(); } catch (e) { data = {error: "unreadable answer (" + r.status + ")"}; }
    return {status: r.status, data: data};
  }

  // -- editor with line numbers and located problems -------------------------------
  function drawGutter(problems) {
    const n = text.value.split("\n").length;
    const bad = new Map();
    (problems || []).forEach((p) => { if (p.line) bad.set(p.line, p.message); });
    gutter.replaceChildren();
    for (let i = 1; i <= n; i++) {
      const span = document.createElement("span");
      span.textContent = String(i);
      span.dataset.line = String(i);
      if (bad.has(i)) { span.className = "bad"; span.title = bad.get(i); }
      gutter.appendChild(span);
      gutter.appendChild(document.createTextNode("\n"));
    }
    gutter.scrollTop = text.scrollTop;
  }
  text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });

  function goToLine(line, column) {
    const lines = text.value.split("\n");
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    const end = pos + (lines[line - 1] || "").length;
    text.focus();
    text.setSelectionRange(pos + Math.max(0, (column || 1) - 1), end);
    const lh = parseFloat(getComputedStyle(text).lineHeight) || 16;
    text.scrollTop = Math.max(0, (line - 5) * lh);
  }

  function showProblems(data) {
    const list = $("problems");
    list.replaceChildren();
    (data.problems || []).forEach((p) => {
      const li = document.createElement("li");
      li.className = "problem";
      const where = p.line ? "line " + p.line + (p.column ? ", column " + p.column : "") : "file";
      const a = document.createElement("a");
      a.href = "#";
      a.textContent = where;
      a.addEventListener("click", (e) => { e.preventDefault(); if (p.line) goToLine(p.line, p.column); });
      li.appendChild(a);
      li.appendChild(document.createTextNode(": " + p.message));
      [["at", p.path], ["value", p.value], ["expected", p.expected]].forEach(([k, v]) => {
        if (v) { const d = document.createElement("div"); d.className = "small"; d.textContent = k + ": " + v; li.appendChild(d); }
      });
      list.appendChild(li);
    });
    const v = $("validation");
    if (data.ok) { v.textContent = "valid · " + (data.summary || ""); v.className = "ok"; }
    else { v.textContent = (data.problems || []).length + " problem(s)"; v.className = "bad"; }
    drawGutter(data.problems);
    $("run").disabled = !data.ok;
  }

  async function validateNow() {
    const seq = ++validateSeq;
    $("validation").textContent = "checking…";
    $("validation").className = "muted";
    const r = await post("/api/validate", {text: text.value, name: name});
    if (seq !== validateSeq) return;  // a newer edit is being checked
    if (r.data.error) { showProblems({ok: false, problems: [{message: r.data.error}]}); return; }
    showProblems(r.data);
  }
  text.addEventListener("input", () => {
    drawGutter([]);
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validateNow, 300);
  });

  // -- choosing a scenario -----------------------------------------------------------
  $("builtin").addEventListener("change", async (e) => {
    if (!e.target.value) return;
    const r = await fetch("/api/builtin/" + encodeURIComponent(e.target.value));
    const data = await r.json();
    if (data.text !== undefined) { text.value = data.text; setName(data.name); validateNow(); }
  });
  $("upload").addEventListener("change", (e) => {
    const file = e.target.files[0];
    if (!file) return;
    if (file.size > MAX_UPLOAD) { showProblems({ok: false, problems: [{message: "file larger than 1 MB"}]}); return; }
    const reader = new FileReader();
    reader.onload = () => { text.value = String(reader.result); setName(file.name); validateNow(); };
    reader.readAsText(file);
  });
  function setName(n) { name = n; $("name").textContent = n; }

  // -- running the analysis as a job ---------------------------------------------------
  $("run").addEventListener("click", async () => {
    $("run").disabled = true;
    $("progress").textContent = "starting…";
    const r = await post("/api/run", {workspace: ws, text: text.value, name: name,
                                      cruxes: $("cruxes").checked});
    if (r.status !== 200) { $("progress").textContent = r.data.error || "failed"; $("run").disabled = false; return; }
    job = r.data.id;
    $("cancel").hidden = false;
    poll();
  });
  $("cancel").addEventListener("click", async () => {
    if (job) await post("/api/jobs/" + job + "/cancel", {});
  });
  async function poll() {
    clearTimeout(pollTimer);
    const r = await fetch("/api/jobs/" + job);
    const s = await r.json();
    if (s.state === "queued" || s.state === "running") {
      $("progress").textContent = (s.stage || s.state) + " · " + s.seconds + " s";
      pollTimer = setTimeout(poll, 150);
      return;
    }
    $("cancel").hidden = true;
    $("run").disabled = false;
    if (s.state === "done") {
      $("progress").textContent = "done in " + s.seconds + " s";
      await loadResults();
    } else if (s.state === "cancelled") {
      $("progress").textContent = "cancelled after " + s.seconds + " s";
    } else {
      $("progress").textContent = "failed";
      showProblems({ok: false, problems: s.error || []});
    }
  }
  async function loadResults() {
    const r = await fetch("/api/results/" + ws);
    const data = await r.json();
    if (!data.results) return;
    $("results").innerHTML = data.results;
    $("controls").innerHTML = data.controls;
    $("controls-pane").hidden = false;
    $("downloads").hidden = false;
    $("dl-scenario").href = "/download/" + ws + "/scenario.yaml";
    $("dl-json").href = "/download/" + ws + "/analysis.json";
    $("dl-report").href = "/download/" + ws + "/report.html";
    $("view-report").href = "/download/" + ws + "/report.html?view=1";
    $("timing").textContent = "";
    document.body.dataset.ready = "1";
  }

  // -- belief controls ---------------------------------------------------------------
  function changedBeliefs() {
    const original = JSON.parse($("control-values").dataset.original || "{}");
    const out = {};
    document.querySelectorAll(".belief").forEach((el) => {
      const id = el.dataset.id;
      const v = el.dataset.kind === "toggle" ? el.checked : parseFloat(el.value);
      if (v !== original[id]) out[id] = v;
    });
    return out;
  }
  async function sendBeliefs() {
    if (beliefBusy) { beliefPending = true; return; }
    beliefBusy = true;
    const seq = ++beliefSeq;
    const t0 = performance.now();
    document.body.dataset.updating = "1";
    const r = await post("/api/beliefs", {workspace: ws, beliefs: changedBeliefs()});
    beliefBusy = false;
    if (r.status === 200 && seq === beliefSeq) {
      $("results").innerHTML = r.data.results;
      $("timing").textContent = "Updated in " + Math.round(performance.now() - t0) +
        " ms (server " + Math.round(r.data.seconds * 1000) + " ms).";
      clearTimeout(cruxTimer);
      if (r.data.crux_job) pollCruxes(r.data.crux_job, seq);
    } else if (r.status !== 200) {
      $("timing").textContent = (r.data.problems || [{message: r.data.error}]).map((p) => p.message).join("; ");
    }
    delete document.body.dataset.updating;
    if (beliefPending) { beliefPending = false; sendBeliefs(); }
  }
  // the crux search under the new beliefs runs as a job after the fast update; when it
  // finishes (and no newer change superseded it) the results are fetched again
  async function pollCruxes(id, seq) {
    if (seq !== beliefSeq) return;
    const r = await fetch("/api/jobs/" + id);
    const s = await r.json();
    if (seq !== beliefSeq) return;
    if (s.state === "queued" || s.state === "running") {
      cruxTimer = setTimeout(() => pollCruxes(id, seq), 250);
      return;
    }
    const note = $("cruxes-pending");
    if (s.state === "done") {
      const got = await fetch("/api/results/" + ws);
      const data = await got.json();
      if (seq === beliefSeq && data.results) $("results").innerHTML = data.results;
    } else if (note) {
      note.textContent = s.state === "failed"
        ? "The crux search under these beliefs failed: " + (s.error || []).map((p) => p.message).join("; ")
        : "The crux search under these beliefs was stopped.";
    }
  }
  $("controls").addEventListener("input", (e) => {
    if (e.target.type === "range") e.target.nextElementSibling.textContent = e.target.value;
  });
  $("controls").addEventListener("change", (e) => {
    if (e.target.classList.contains("belief")) sendBeliefs();
  });
  $("reset").addEventListener("click", () => {
    const original = JSON.parse($("control-values").dataset.original || "{}");
    document.querySelectorAll(".belief").forEach((el) => {
      if (el.dataset.kind === "toggle") el.checked = original[el.dataset.id];
      else { el.value = original[el.dataset.id]; el.nextElementSibling.textContent = el.value; }
    });
    sendBeliefs();
  });

  drawGutter([]);
  validateNow();
})();
