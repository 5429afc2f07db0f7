// The Leaflet map: offline country borders, optional tiles, event markers (client clusters for small stores,
// server grid clusters below the cluster zoom for large ones).
/* global L, topojson */
import { api, el, sizeClass, typeIndex } from "./dom.js";

const SMALL_STORE = 2000;

export class EventMap {
  constructor(node, { meta, onSelect, onMove }) {
    this.meta = meta;
    this.types = Object.keys(meta.event_types);
    this.onSelect = onSelect;
    this.small = meta.counts.events <= SMALL_STORE;
    this.map = L.map(node, { zoomControl: true, worldCopyJump: true, minZoom: 2, maxZoom: 18 });
    this.map.attributionControl.setPrefix(false);
    if (meta.tile_url) {
      L.tileLayer(meta.tile_url, { maxZoom: 18, attribution: "tiles: configured server" }).addTo(this.map);
    }
    this.layer = this.small
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 30, disableClusteringAtZoom: 10, animate: false, iconCreateFunction: (c) => this.clientCluster(c) })
      : L.layerGroup();
    this.layer.addTo(this.map);
    this.markers = new Map();
    this.query = "";
    this.map.on("moveend", () => {
      onMove(this.map.getCenter(), this.map.getZoom());
      if (!this.small) this.loadServer();
    });
    this.addLegend();
  }

  // Country outlines at 1:110m (a seventh of the 1:50m file's bytes and vertices) on one canvas, so they draw
  // in milliseconds and never hold up the markers.
  async loadBorders() {
    const topo = await api("/vendor/world-atlas/countries-110m.json");
    const geo = topojson.feature(topo, topo.objects.countries);
    geo.features.forEach(unwrapAntimeridian);
    L.geoJSON(geo, {
      interactive: false,
      renderer: L.canvas({ padding: 0.5 }),
      style: { color: "#8a8f98", weight: 0.8, fillColor: "#eef0f2", fillOpacity: 1 },
    }).addTo(this.map).bringToBack();
    document.body.dataset.borders = String(geo.features.length);
  }

  addLegend() {
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = () => el("div", { class: "legend" },
      this.types.map((t) => el("div", {}, el("span", { class: `swatch t-${typeIndex(this.types, t)}` }), t)));
    legend.addTo(this.map);
  }

  setView(center, zoom) {
    this.map.setView(center, zoom, { animate: false });
  }

  // Fit the bulk of the events: a few far-off points (a statement datelined in a foreign capital) must not zoom
  // the first view out to the whole world, so the 10th-90th percentile box is used once there are enough points.
  fitOr(defaultCenter, defaultZoom, points) {
    if (!points.length) {
      this.map.setView(defaultCenter, defaultZoom);
      return;
    }
    let box = points;
    if (points.length >= 20) {
      const q = (xs, f) => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))];
      const lats = points.map((p) => p[0]).sort((a, b) => a - b);
      const lons = points.map((p) => p[1]).sort((a, b) => a - b);
      box = [[q(lats, 0.1), q(lons, 0.1)], [q(lats, 0.9), q(lons, 0.9)]];
    }
    this.map.fitBounds(L.latLngBounds(box).pad(0.2), { maxZoom: 9, animate: false });
  }

  markerFor(f) {
    const p = f.properties;
    const dot = el("span", {
      class: `mk t-${typeIndex(this.types, p.event_type)} ${sizeClass(p.fatalities)}${p.id === this.selected ? " selected" : ""}`,
      dataset: { id: p.id, type: p.event_type },
      title: `${p.event_type}: ${p.place || "?"} ${p.date_start || ""}`,
    });
    const [lon, lat] = f.geometry.coordinates;
    const m = L.marker([lat, lon], {
      icon: L.divIcon({ html: dot, className: "mk-wrap", iconSize: [24, 24] }),
      keyboard: true,
      title: "",
    });
    m.on("click", () => this.onSelect(p.id));
    return m;
  }

  clientCluster(cluster) {
    const n = cluster.getChildCount();
    return L.divIcon({ html: el("span", { class: "cl" }, String(n)), className: "cl-wrap", iconSize: [34, 34] });
  }

  // Small stores: every matching event once, clustered in the browser.
  async load(query) {
    this.query = query;
    if (!this.small) return this.loadServer();
    const features = [];
    let next = null;
    do {
      const page = await api(`/api/v1/events.geojson?${query}&limit=1000${next ? `&cursor=${encodeURIComponent(next)}` : ""}`);
      features.push(...page.features);
      next = page.next;
    } while (next && features.length < SMALL_STORE);
    this.draw(features);
    return features.filter((f) => f.geometry).map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
  }

  draw(features) {
    this.layer.clearLayers();
    this.markers.clear();
    const ms = [];
    for (const f of features) {
      if (!f.geometry) continue;
      const m = this.markerFor(f);
      this.markers.set(f.properties.id, m);
      ms.push(m);
    }
    if (this.small) this.layer.addLayers(ms);
    else ms.forEach((m) => this.layer.addLayer(m));
    document.body.dataset.markers = String(ms.length);
  }

  // Large stores: grid clusters from the server below the cluster zoom, raw events in view above it.
  async loadServer() {
    const b = this.map.getBounds();
    const bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())]
      .map((x) => x.toFixed(4)).join(",");
    const z = this.map.getZoom();
    const url = z >= this.meta.cluster_below_zoom
      ? `/api/v1/events.geojson?${this.query}&bbox=${bbox}&limit=1000`
      : `/api/v1/clusters?${this.query}&bbox=${bbox}&zoom=${z}`;
    // The first view fires moveend and load() at once: ask the server once for the same view and filters.
    if (url === this.pendingUrl) return this.pending;
    this.pendingUrl = url;
    this.pending = this.fetchServer(url, z);
    try {
      return await this.pending;
    } finally {
      if (this.pendingUrl === url) this.pendingUrl = null;
    }
  }

  async fetchServer(url, z) {
    const seq = (this.seq = (this.seq || 0) + 1);
    if (z >= this.meta.cluster_below_zoom) {
      const page = await api(url);
      if (seq === this.seq) this.draw(page.features);
      return [];
    }
    const data = await api(url);
    if (seq !== this.seq) return [];
    this.layer.clearLayers();
    this.markers.clear();
    for (const c of data.clusters) {
      const size = Math.round(22 + Math.min(30, Math.log2(c.count + 1) * 4));
      const icon = L.divIcon({
        html: el("span", { class: `cl srv t-${typeIndex(this.types, c.top_type)}` }, String(c.count)),
        className: "cl-wrap",
        iconSize: [size, size],
      });
      const m = L.marker([c.lat, c.lon], { icon, title: `${c.count} events` });
      m.on("click", () => this.map.fitBounds([[c.bbox[1], c.bbox[0]], [c.bbox[3], c.bbox[2]]]));
      this.layer.addLayer(m);
    }
    document.body.dataset.markers = String(data.clusters.length);
    return [];
  }

  select(id) {
    this.selected = id;
    document.querySelectorAll(".mk.selected").forEach((n) => n.classList.remove("selected"));
    const m = this.markers.get(id);
    if (!m) return;
    const show = () => {
      const n = document.querySelector(`.mk[data-id="${CSS.escape(id)}"]`);
      if (n) n.classList.add("selected");
    };
    if (this.small) this.layer.zoomToShowLayer(m, show);
    else show();
  }
}

// Rings that cross the antimeridian (Russia, Fiji) would be drawn as bands across the whole map: keep each ring
// continuous by shifting longitudes by 360 degrees where consecutive points jump more than half the globe.
function unwrapAntimeridian(feature) {
  const g = feature.geometry;
  if (!g) return;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  for (const poly of polys) {
    for (const ring of poly) {
      let shift = 0;
      for (let i = 1; i < ring.length; i += 1) {
        const jump = ring[i][0] + shift - ring[i - 1][0];
        if (jump > 180) shift -= 360;
        else if (jump < -180) shift += 360;
        ring[i][0] += shift;
      }
    }
  }
}
