// Fleet map: Natural Earth outline (world-atlas TopoJSON, served locally) and one circle marker per terminal,
// coloured by status. Tiles are drawn only when Dashboard:MapTileUrl is configured, so the map works offline.
(function () {
    const el = document.getElementById('fleet-map');
    if (!el || !window.L) { return; }
    const terminals = JSON.parse(el.dataset.terminals || '[]');
    const map = L.map(el, { worldCopyJump: true, zoomSnap: 0.5 }).setView([20, 0], 1.5);
    if (el.dataset.tileUrl) {
        L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || '' }).addTo(map);
    } else if (el.dataset.outline && window.topojson) {
        fetch(el.dataset.outline).then(r => r.json()).then(world => {
            const land = topojson.feature(world, world.objects.countries);
            const layer = L.geoJSON(land, { style: { color: '#8a9bb0', weight: 0.6, fillColor: '#e8edf2', fillOpacity: 1 }, interactive: false });
            layer.addTo(map);
            layer.bringToBack();
        });
    }
    const colours = { online: '#2e7d32', offline: '#c62828', unknown: '#757575' };
    const markers = terminals.map(t => L.circleMarker([t.lat, t.lon], {
        radius: 6, weight: 1, color: '#ffffff', fillOpacity: 0.9,
        fillColor: colours[t.s] || colours.unknown,
        className: 'satmon-marker satmon-marker-' + t.s,
    }).bindPopup(() => {
        const div = document.createElement('div');
        const a = document.createElement('a');
        a.href = t.url; a.textContent = t.n;
        div.append(a, document.createElement('br'), t.op + ' · ' + t.id + ' · ' + t.s);
        return div;
    }).addTo(map));
    if (markers.length > 0) {
        map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 5 });
    }
    el.dataset.markers = String(markers.length);
})();
