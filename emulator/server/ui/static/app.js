// The inspector's only script: live deliveries from the server-sent event stream, filters,
// the trigger and resend buttons, and a refresh of the server-rendered side panels.
"use strict";

const rows = new Map();          // run/event/copy/target → {tr, record, attempts[]}
const PX_PER_S = 60, MAX_PX = 300;

function el(tag, attrs = {}, text = "") {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

function answer(a) {
  if (a.status !== null && a.status !== undefined) return String(a.status);
  return String(a.error || "error").replace(/_/g, " ");
}

function outcomeOf(entry) {
  const last = entry.attempts[entry.attempts.length - 1];
  if (!entry.final) return "pending";
  if (last.outcome === "success") return entry.attempts.length > 1 ? "retried" : "delivered";
  return "lost";
}

function drawTimeline(cell, attempts) {
  cell.textContent = "";
  const t0 = Date.parse(attempts[0].started_at);
  const end = Math.max(...attempts.map(a => Date.parse(a.started_at) - t0 + a.duration_ms)) / 1000;
  const scale = Math.min(PX_PER_S, MAX_PX / Math.max(end, 0.001));
  const line = el("div", {class: "timeline"});
  line.style.width = Math.max(40, Math.ceil(end * scale) + 4) + "px";
  attempts.forEach((a, i) => {
    const offset = Date.parse(a.started_at) - t0;
    const box = el("span", {
      class: "attempt " + (a.outcome === "success" ? "ok" : "fail") + (a.error === "timeout" ? " cut" : ""),
      "data-offset-ms": String(offset), "data-status": answer(a),
      title: `attempt ${a.attempt} at +${(offset / 1000).toFixed(1)} s: ${a.detail} (${Math.round(a.duration_ms)} ms)`,
    });
    box.style.left = (offset / 1000 * scale) + "px";
    box.style.width = Math.max(3, a.duration_ms / 1000 * scale) + "px";
    line.appendChild(box);
    if (i > 0) {
      const prev = attempts[i - 1];
      const gap = (offset - (Date.parse(prev.started_at) - t0) - prev.duration_ms) / 1000;
      const label = el("span", {class: "gap"}, `+${gap.toFixed(1)} s`);
      label.style.left = ((Date.parse(prev.started_at) - t0 + prev.duration_ms) / 1000 * scale + 2) + "px";
      line.appendChild(label);
    }
  });
  cell.appendChild(line);
}

function render(entry) {
  const r = entry.record, tr = entry.tr;
  const outcome = outcomeOf(entry);
  tr.dataset.type = r.event_type;
  tr.dataset.video = r.media_id || "";
  tr.dataset.outcome = outcome;
  tr.dataset.copy = String(r.copy);
  tr.className = "event " + outcome;
  const cells = tr.children;
  cells[0].textContent = r.run_id;
  cells[1].textContent = String(r.body.EventTime || "").slice(11, 19);
  cells[2].textContent = r.event_type + (r.copy > 1 ? ` (chaos duplicate #${r.copy})` : "");
  cells[3].textContent = r.media_id || "";
  drawTimeline(cells[4], entry.attempts);
  cells[5].textContent = entry.attempts.map(answer).join(" · ");
  cells[6].textContent = {pending: "in progress", retried: "after retry"}[outcome] || outcome;
  applyFilter(tr);
}

function addTypeOption(type) {
  const select = document.querySelector("#filters select[name=type]");
  if ([...select.options].some(o => o.value === type)) return;
  select.appendChild(el("option", {value: type}, type));
}

function onRecord(r) {
  const key = [r.run_id, r.event_id, r.copy, r.target].join("|");
  let entry = rows.get(key);
  if (!entry) {
    const tr = el("tr");
    for (let i = 0; i < 7; i++) tr.appendChild(el("td"));
    tr.addEventListener("click", () => showDetail(key));
    document.querySelector("#events tbody").prepend(tr);
    entry = {tr, record: r, attempts: [], final: false};
    rows.set(key, entry);
    document.getElementById("no-events").hidden = true;
    addTypeOption(r.event_type);
  }
  entry.record = r;
  entry.attempts = entry.attempts.filter(a => a.attempt !== r.attempt.attempt).concat([r.attempt])
    .sort((a, b) => a.attempt - b.attempt);
  entry.final = entry.final || r.final;
  render(entry);
}

function applyFilter(tr) {
  const f = document.getElementById("filters");
  const type = f.elements.type.value, video = f.elements.video.value.trim(), outcome = f.elements.outcome.value;
  const show = (!type || tr.dataset.type === type) && (!video || tr.dataset.video.includes(video))
    && (!outcome || (outcome === "duplicate" ? tr.dataset.copy !== "1" : tr.dataset.outcome === outcome));
  tr.hidden = !show;
}

let selected = null;
function showDetail(key) {
  const entry = rows.get(key);
  selected = entry.record;
  const r = entry.record;
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent = `${r.event_type} ${r.media_id || ""} (${r.run_id}, ${r.event_id}) → ${r.target}`;
  document.getElementById("detail-headers").textContent =
    Object.entries(r.headers || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
  document.getElementById("detail-body").textContent = JSON.stringify(r.body, null, 2);
}

async function post(url, body) {
  const resp = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                 body: JSON.stringify(body)});
  const doc = await resp.json();
  if (!resp.ok) throw new Error(`${doc.error ? doc.error.code + ": " + doc.error.message : resp.status}`);
  return doc;
}

function say(text) { document.getElementById("trigger-result").textContent = text; }

document.getElementById("trigger").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.target.elements;
  say("delivering…");
  try {
    const doc = await post("/_emulator/trigger", {
      event_type: f.event_type.value, count: Number(f.count.value), region: f.region.value,
      status: f.status.value, time_scale: Number(f.time_scale.value), seed: Math.floor(Math.random() * 1e6)});
    const s = doc.summary;
    say(`${doc.run_id}: ${s.events} event(s), ${s.delivered} delivered, ${s.lost} lost`);
  } catch (err) { say(String(err.message)); }
  refresh();
});

document.getElementById("resend").addEventListener("click", async () => {
  if (!selected) return;
  say("resending…");
  try {
    const doc = await post(`/_emulator/runs/${encodeURIComponent(selected.run_id)}/events/${encodeURIComponent(selected.event_id)}/resend`, {});
    say(`${doc.run_id}: resent, ${doc.summary.delivered} delivered, ${doc.summary.lost} lost`);
  } catch (err) { say(String(err.message)); }
  refresh();
});

document.getElementById("filters").addEventListener("input", () => rows.forEach(e => applyFilter(e.tr)));

async function refresh() {
  for (const box of document.querySelectorAll("[data-fragment]")) {
    const name = box.dataset.fragment;
    if (name === "trigger-section") continue;
    try {
      const resp = await fetch(`/_emulator/ui/fragments/${name}`);
      if (resp.ok) box.innerHTML = await resp.text();   // server-rendered, escaped there
    } catch (err) { /* the server is gone; the live badge says so */ }
  }
}

function connect() {
  const live = document.getElementById("live");
  const source = new EventSource("/_emulator/deliveries/stream");
  source.addEventListener("open", () => { live.textContent = "live"; live.className = "on"; });
  source.addEventListener("attempt", (ev) => onRecord(JSON.parse(ev.data)));
  source.addEventListener("error", () => { live.textContent = "reconnecting…"; live.className = "off"; });
}

connect();
setInterval(refresh, 2000);
