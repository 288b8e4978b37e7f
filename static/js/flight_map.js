// The flight page's map: Leaflet over the SVG plan, which stays the picture until a tile has
// loaded (and for good when none does: offline, tests, a blocked tile server). Progressive
// enhancement: without JS or Leaflet the page shows the plan.
(function () {
  "use strict";
  var FALLBACK_AFTER_MS = 4000;
  var figure = document.querySelector(".track-map");
  var container = document.getElementById("flight-map");
  var trackData = document.getElementById("flight-track");
  var tilesData = document.getElementById("flight-map-tiles");
  if (!figure || !container || !trackData || !tilesData) return;

  var settled = false;
  function settle(state) {
    if (settled) return;
    settled = true;
    figure.setAttribute("data-map", state);
    if (state === "fallback") container.remove();
  }

  if (typeof window.L === "undefined") {
    settle("fallback");
    return;
  }
  var path = JSON.parse(trackData.textContent);
  var tiles = JSON.parse(tilesData.textContent);
  if (path.length < 2 || !tiles.url) {
    settle("fallback");
    return;
  }

  container.hidden = false;
  try {
    draw(path, tiles);
  } catch (error) {
    settle("fallback");
    throw error;
  }

  function draw(path, tiles) {
    var map = window.L.map(container, { scrollWheelZoom: false });
    var layer = window.L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 18 });
    layer.on("tileload", function () { settle("ready"); });
    // "load" fires once every visible tile has finished, loaded or not.
    layer.on("load", function () { if (!container.querySelector(".leaflet-tile-loaded")) settle("fallback"); });
    window.setTimeout(function () { settle("fallback"); }, FALLBACK_AFTER_MS);

    var line = window.L.polyline(path, { color: "#1d4ed8", weight: 3 }).addTo(map);
    window.L.circleMarker(path[0], { radius: 6, color: "#15803d", fillOpacity: 1 }).bindTooltip("Engine on").addTo(map);
    window.L.circleMarker(path[path.length - 1], { radius: 6, color: "#b91c1c", fillOpacity: 1 })
      .bindTooltip("Engine off").addTo(map);
    map.fitBounds(line.getBounds(), { padding: [16, 16] });
    layer.addTo(map);
  }
})();
