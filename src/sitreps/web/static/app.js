// The page: filter bar, timeline, event list, evidence drawer, document view and analyst corrections.
// View state lives in the query string so any view can be shared as a link.
import { ApiError, api, clear, el, highlighted, typeIndex } from "./dom.js";
import { EventMap } from "./map.js";
import { Timeline } from "./timeline.js";

const MULTI = ["type"];
const KEYS = ["type", "actor", "status", "min_outlets", "modality", "q", "since", "until", "z", "c", "ev", "doc"];
const FILTER_KEYS = ["type", "actor", "status", "min_outlets", "modality", "q", "since", "until"];
const PAGE = 100;

const state = readState();
let meta = null;
let types = [];
let map = null;
let timeline = null;
let listNext = null;

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of KEYS) s[k] = MULTI.includes(k) ? p.getAll(k) : p.get(k) || "";
  return s;
}

function writeState() {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    if (MULTI.includes(k)) state[k].forEach((v) => p.append(k, v));
    else if (state[k]) p.set(k, state[k]);
  }
  const qs = p.toString();
  history.replaceState(null, "", qs ? `?${qs}` : location.pathname);
}

function filterQuery({ withDates = true } = {}) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    if (!withDates && (k === "since" || k === "until")) continue;
    if (MULTI.includes(k)) state[k].forEach((v) => p.append(k, v));
    else if (state[k]) p.set(k, state[k]);
  }
  return p.toString();
}

function showError(where, err) {
  const msg = err instanceof ApiError ? `${err.message}${err.body.hint ? ` (${err.body.hint})` : ""}` : String(err);
  const box = document.getElementById("count");
  box.textContent = `${where}: ${msg}`;
  box.classList.add("error");
}

// ---- filter bar -------------------------------------------------------------------------------------------
function setupFilters() {
  const box = document.getElementById("f-types");
  for (const t of types) {
    const id = `f-type-${typeIndex(types, t)}`;
    const input = el("input", { type: "checkbox", id, value: t, name: "type" });
    input.checked = state.type.includes(t);
    box.append(el("label", { for: id, class: "type-check" }, input, el("span", { class: `swatch t-${typeIndex(types, t)}` }), t));
  }
  const status = document.getElementById("f-status");
  meta.statuses.forEach((s) => status.append(el("option", { value: s }, s)));
  const modality = document.getElementById("f-modality");
  meta.modalities.forEach((m) => modality.append(el("option", { value: m }, m)));
  status.value = state.status;
  modality.value = state.modality;
  document.getElementById("f-actor").value = state.actor;
  document.getElementById("f-min-outlets").value = state.min_outlets;
  document.getElementById("f-q").value = state.q;

  const form = document.getElementById("filters");
  let timer = null;
  const apply = () => {
    state.type = [...form.querySelectorAll("input[name=type]:checked")].map((i) => i.value);
    state.actor = document.getElementById("f-actor").value.trim();
    state.status = status.value;
    state.modality = modality.value;
    state.min_outlets = document.getElementById("f-min-outlets").value;
    state.q = document.getElementById("f-q").value.trim();
    writeState();
    refresh();
  };
  form.addEventListener("change", apply);
  form.addEventListener("input", (e) => {
    if (e.target.type === "search" || e.target.type === "number" || e.target.name === "actor") {
      clearTimeout(timer);
      timer = setTimeout(apply, 350);
    }
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  document.getElementById("f-reset").addEventListener("click", () => {
    form.reset();
    FILTER_KEYS.forEach((k) => { state[k] = MULTI.includes(k) ? [] : ""; });
    apply();
  });
}

// The actor picker's suggestions: fetched after the first draw, as nothing on screen waits for them.
function loadActors() {
  api("/api/v1/actors?limit=500").then((data) => {
    const list = document.getElementById("actors");
    data.items.forEach((a) => list.append(el("option", { value: a.id }, `${a.name} (${a.n_events})`)));
  }).catch((e) => showError("actors", e));
}

// ---- list -------------------------------------------------------------------------------------------------
function eventLine(e) {
  const when = e.date && e.date.start ? e.date.start : "undated";
  const where = e.place ? e.place.name : "unknown place";
  const who = [e.actor1 && e.actor1.name, e.actor2 && e.actor2.name].filter(Boolean).join(" vs ");
  return el("li", { class: `ev-item${e.id === state.ev ? " selected" : ""}`, dataset: { id: e.id } },
    el("button", { type: "button", onclick: () => select(e.id) },
      el("span", { class: `swatch t-${typeIndex(types, e.event_type)}` }),
      el("span", { class: "ev-date" }, when), " ",
      el("strong", {}, e.sub_event_type), " · ", where,
      who ? el("span", { class: "ev-who" }, who) : null,
      el("span", { class: `badge ${e.status}` }, `${e.status} · ${e.n_outlets} outlet${e.n_outlets === 1 ? "" : "s"}`),
      e.fatalities.best ? el("span", { class: "ev-fat" }, `${e.fatalities.best} killed`) : null));
}

async function loadList(append = false) {
  const q = filterQuery();
  const url = `/api/v1/events?${q}&limit=${PAGE}${append && listNext ? `&cursor=${encodeURIComponent(listNext)}` : ""}`;
  const page = await api(url);
  const list = document.getElementById("event-list");
  if (!append) clear(list);
  page.events.forEach((e) => list.append(eventLine(e)));
  listNext = page.next;
  document.getElementById("more").hidden = !listNext;
  const count = document.getElementById("count");
  count.classList.remove("error");
  const n = page.count_capped ? `more than ${page.count.toLocaleString()}` : `${page.count}`;
  count.textContent = `${n} event${page.count === 1 ? "" : "s"}`;
}

// ---- timeline ---------------------------------------------------------------------------------------------
async function loadTimeline() {
  const q = filterQuery({ withDates: false });
  // One request: the server answers in days, or in weeks when the matches span more than 180 days.
  const data = await api(`/api/v1/timeline?${q}&interval=auto`);
  timeline.set(data, { since: state.since, until: state.until });
  const label = document.getElementById("brush-label");
  label.textContent = state.since || state.until ? `${state.since || "…"} – ${state.until || "…"}` : "All dates (drag to select)";
  document.getElementById("brush-clear").hidden = !(state.since || state.until);
}

// ---- drawer -----------------------------------------------------------------------------------------------
const KIND_LABEL = { trigger: "what", actor1: "who", actor2: "against", place: "where", date: "when", fatalities: "toll" };

function evidenceSentence(m) {
  const ranges = m.highlights.map((h) => [h.start, h.end, `hl hl-${h.kind}`]);
  return el("blockquote", { class: "evidence" }, highlighted(m.evidence.text, ranges));
}

function renderDrawer(d) {
  const e = d.event;
  const body = clear(document.getElementById("drawer-body"));
  const f = e.fatalities;
  const fat = f.best == null ? "unknown" : f.min !== f.max ? `${f.best} (reports: ${f.min}–${f.max})` : String(f.best);
  const where = e.place ? `${e.place.name}${e.place.country ? `, ${e.place.country}` : ""}` : "unknown place";
  const when = e.date && e.date.start ? (e.date.start === e.date.end ? e.date.start : `${e.date.start} – ${e.date.end}`) : "undated";
  body.append(
    el("h2", { id: "drawer-title" }, `${e.event_type}: ${e.sub_event_type}`),
    el("p", { class: "facts" },
      el("span", { class: `badge ${e.status}`, id: "corroboration" },
        `${e.status} · ${e.n_outlets} outlet${e.n_outlets === 1 ? "" : "s"} / ${e.n_sources} source${e.n_sources === 1 ? "" : "s"}`),
      e.rejected ? el("span", { class: "badge rejected" }, "rejected by analyst") : null,
      e.reviewed.length ? el("span", { class: "badge reviewed" }, `reviewed: ${e.reviewed.join(", ")}`) : null),
    el("dl", { class: "facts-list" },
      el("dt", {}, "Where"), el("dd", { id: "fact-place" }, where),
      el("dt", {}, "When"), el("dd", { id: "fact-date" }, when),
      el("dt", {}, "Who"), el("dd", { id: "fact-actors" }, [e.actor1 && e.actor1.name, e.actor2 && e.actor2.name].filter(Boolean).join(" vs ") || "unknown"),
      el("dt", {}, "Fatalities"), el("dd", { id: "fact-fatalities" }, fat),
      el("dt", {}, "Modality"), el("dd", {}, e.modality),
      el("dt", {}, "Attribution"), el("dd", {}, e.attribution || "none given"),
      el("dt", {}, "Confidence"), el("dd", {}, String(e.confidence)),
      el("dt", {}, "Outlets"), el("dd", { id: "fact-outlets" }, d.outlets.join(", ") || "none")),
  );
  if (d.disagreements.length) {
    body.append(el("h3", {}, "Sources disagree"), el("ul", { class: "disagreements" }, d.disagreements.map((x) => el("li", {}, x))));
  }
  body.append(el("h3", {}, `Evidence (${d.mentions.length})`),
    el("p", { class: "legend-hl" }, Object.entries(KIND_LABEL).map(([k, v]) => el("mark", { class: `hl hl-${k}` }, v))));
  const list = el("ol", { class: "mentions" });
  for (const m of d.mentions) {
    list.append(el("li", { class: "mention" },
      evidenceSentence(m),
      el("p", { class: "source" },
        el("span", { class: "outlet" }, m.outlet || "unknown outlet"), " · ", m.published || "undated", " · ",
        el("span", { class: "doc-title" }, m.title || "(no title)"), " · ",
        el("a", { href: `?doc=${encodeURIComponent(m.document_id)}&ev=${encodeURIComponent(e.id)}`, class: "doc-link",
          onclick: (ev) => { ev.preventDefault(); openDocument(m.document_id); } }, "full document"),
        m.url && /^https?:\/\//.test(m.url) ? [" · ", el("a", { href: m.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original")] : null,
        m.attribution ? el("span", { class: "attr" }, ` · according to ${m.attribution}`) : null,
        m.modality !== "asserted" ? el("span", { class: "modality" }, ` · ${m.modality}`) : null)));
  }
  body.append(list);
  body.append(reviewForm(e));
  const log = el("ol", { class: "audit", id: "audit-log" });
  d.reviews.forEach((r) => log.append(el("li", {}, `${r.at.slice(0, 16).replace("T", " ")} ${r.who}: ${r.field} ${JSON.stringify(r.old)} → ${JSON.stringify(r.new)} — ${r.why}`)));
  body.append(el("h3", {}, "Audit log"), d.reviews.length ? log : el("p", { id: "audit-log" }, "No corrections yet."));
}

function reviewForm(e) {
  const form = document.getElementById("review-form-template").content.firstElementChild.cloneNode(true);
  const etype = form.elements.event_type;
  const sub = form.elements.sub_event_type;
  types.forEach((t) => etype.append(el("option", { value: t }, t)));
  const fillSubs = () => {
    clear(sub);
    (meta.event_types[etype.value] || []).forEach((s) => sub.append(el("option", { value: s }, s)));
  };
  etype.value = e.event_type;
  fillSubs();
  sub.value = e.sub_event_type;
  etype.addEventListener("change", fillSubs);
  form.elements.actor1.value = e.actor1 ? e.actor1.name : "";
  form.elements.actor2.value = e.actor2 ? e.actor2.name : "";
  form.elements.date.value = e.date && e.date.start ? e.date.start : "";
  form.elements.fatalities.value = e.fatalities.best == null ? "" : e.fatalities.best;
  form.elements.rejected.checked = e.rejected;
  form.elements.token.value = sessionStorage.getItem("sitreps-token") || "";
  form.elements.who.value = sessionStorage.getItem("sitreps-who") || "";
  if (!meta.writable) form.querySelector(".review-result").textContent = "This server is read-only (no write token configured).";
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = form.querySelector(".review-result");
    const changes = {};
    if (etype.value !== e.event_type) changes.event_type = etype.value;
    if (sub.value !== e.sub_event_type || changes.event_type) changes.sub_event_type = sub.value;
    const a1 = form.elements.actor1.value.trim();
    const a2 = form.elements.actor2.value.trim();
    if (a1 !== (e.actor1 ? e.actor1.name : "")) changes.actor1 = a1 ? { name: a1 } : null;
    if (a2 !== (e.actor2 ? e.actor2.name : "")) changes.actor2 = a2 ? { name: a2 } : null;
    const day = form.elements.date.value;
    if (day && day !== (e.date && e.date.start)) changes.date = { start: day };
    const fat = form.elements.fatalities.value;
    if (fat !== "" && Number(fat) !== e.fatalities.best) changes.fatalities = Number(fat);
    if (form.elements.rejected.checked !== e.rejected) changes.rejected = form.elements.rejected.checked;
    if (!Object.keys(changes).length) {
      out.textContent = "Nothing changed.";
      return;
    }
    const token = form.elements.token.value.trim();
    sessionStorage.setItem("sitreps-token", token);
    sessionStorage.setItem("sitreps-who", form.elements.who.value.trim());
    out.textContent = "Saving…";
    try {
      const res = await api(`/api/v1/events/${encodeURIComponent(e.id)}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ changes, who: form.elements.who.value.trim(), why: form.elements.why.value.trim() }),
      });
      await select(e.id, { keepScroll: true });
      const again = document.querySelector("#drawer .review-result");
      if (again) again.textContent = `Saved: ${res.changed.join(", ") || "no change"}.`;
      refresh({ keepDrawer: true });
    } catch (err) {
      out.textContent = err instanceof ApiError ? `Not saved: ${err.message}${err.body.hint ? ` — ${err.body.hint}` : ""}` : String(err);
    }
  });
  return form;
}

async function select(id, { keepScroll = false } = {}) {
  state.ev = id;
  writeState();
  document.querySelectorAll(".ev-item.selected").forEach((n) => n.classList.remove("selected"));
  const item = document.querySelector(`.ev-item[data-id="${CSS.escape(id)}"]`);
  if (item) item.classList.add("selected");
  const drawer = document.getElementById("drawer");
  const scroll = drawer.scrollTop;
  try {
    const d = await api(`/api/v1/events/${encodeURIComponent(id)}`);
    renderDrawer(d);
    drawer.hidden = false;
    drawer.dataset.event = id;
    if (keepScroll) drawer.scrollTop = scroll;
    map.select(id);
  } catch (e) {
    showError("event", e);
  }
}

function closeDrawer() {
  document.getElementById("drawer").hidden = true;
  state.ev = "";
  writeState();
}

// ---- document view ----------------------------------------------------------------------------------------
async function openDocument(id) {
  state.doc = id;
  writeState();
  const box = document.getElementById("docview");
  const body = clear(document.getElementById("doc-body"));
  try {
    const d = await api(`/api/v1/documents/${encodeURIComponent(id)}`);
    body.append(
      el("h2", {}, d.title || "(no title)"),
      el("p", { class: "source" }, `${d.outlet || "unknown outlet"} · ${d.published || "undated"} · ${d.mentions.length} mention(s)`));
    // Boundaries of every evidence sentence and trigger; each piece of text gets the classes of what covers it.
    const cuts = new Set([0, d.text.length]);
    for (const m of d.mentions) {
      cuts.add(m.evidence.start); cuts.add(m.evidence.end); cuts.add(m.trigger.start); cuts.add(m.trigger.end);
    }
    const points = [...cuts].filter((x) => x >= 0 && x <= d.text.length).sort((a, b) => a - b);
    const text = el("div", { class: "doc-text", id: "doc-text" });
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const piece = d.text.slice(a, b);
      const inEv = d.mentions.filter((m) => m.evidence.start <= a && b <= m.evidence.end);
      const isTrig = d.mentions.some((m) => m.trigger.start <= a && b <= m.trigger.end);
      if (!inEv.length) { text.append(document.createTextNode(piece)); continue; }
      const current = inEv.some((m) => m.event_id && m.event_id === state.ev);
      text.append(el("mark", { class: `doc-ev${isTrig ? " doc-trigger" : ""}${current ? " current" : ""}`,
        title: inEv.map((m) => `${m.event_type}: ${m.sub_event_type}`).join("; ") }, piece));
    }
    body.append(text);
    box.hidden = false;
  } catch (e) {
    showError("document", e);
  }
}

function closeDocument() {
  document.getElementById("docview").hidden = true;
  state.doc = "";
  writeState();
}

// ---- wiring -----------------------------------------------------------------------------------------------
let refreshSeq = 0;
async function refresh({ keepDrawer = false } = {}) {
  const seq = ++refreshSeq;
  document.body.dataset.loading = "1";
  try {
    await Promise.all([loadList(), loadTimeline(), map.load(filterQuery())]);
  } catch (e) {
    showError("load", e);
  }
  if (seq === refreshSeq) document.body.dataset.loading = "0";
  if (!keepDrawer && state.ev) map.select(state.ev);
}

async function main() {
  meta = await api("/api/v1/meta");
  types = Object.keys(meta.event_types);
  setupFilters();
  map = new EventMap(document.getElementById("map"), {
    meta,
    onSelect: (id) => select(id),
    onMove: (c, z) => { state.c = `${c.lat.toFixed(4)},${c.lng.toFixed(4)}`; state.z = String(z); writeState(); },
  });
  timeline = new Timeline(document.getElementById("timeline-svg"), {
    types,
    onBrush: (b) => {
      state.since = b ? b.since : "";
      state.until = b ? b.until : "";
      writeState();
      refresh();
    },
  });
  document.getElementById("brush-clear").addEventListener("click", () => timeline.onBrush(null));
  document.getElementById("drawer-close").addEventListener("click", closeDrawer);
  document.getElementById("doc-close").addEventListener("click", closeDocument);
  document.getElementById("more").addEventListener("click", () => loadList(true).catch((e) => showError("list", e)));
  const deepCenter = state.c ? state.c.split(",").map(Number) : null;
  const deepZoom = state.z ? Number(state.z) : null;
  if (deepCenter && deepCenter.length === 2 && deepCenter.every(Number.isFinite) && Number.isFinite(deepZoom)) {
    map.setView(deepCenter, deepZoom);
  } else {
    map.setView([34.8, 38.9], 6);
  }
  map.loadBorders().catch((e) => showError("borders", e));
  document.body.dataset.loading = "1";
  const [points] = await Promise.all([map.load(filterQuery()), loadList(), loadTimeline()]).catch((e) => {
    showError("load", e);
    return [[]];
  });
  if (!deepCenter && points && points.length) map.fitOr([34.8, 38.9], 6, points);
  if (state.ev) await select(state.ev);
  if (state.doc) await openDocument(state.doc);
  document.body.dataset.loading = "0";
  document.body.dataset.ready = "1";
  loadActors();
}

main().catch((e) => showError("start", e));
