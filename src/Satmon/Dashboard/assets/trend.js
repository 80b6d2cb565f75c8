// Trend chart (uPlot): one line per series; for rollups the average line sits in a band between min and max.
// The series arrive as separate time arrays, so they are merged onto one sorted time axis (gaps are null).
(function () {
    const el = document.getElementById('trend');
    if (!el || !window.uPlot) { return; }
    const input = JSON.parse(el.dataset.series || '[]');
    const rollup = el.dataset.rollup === 'true';
    const palette = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];
    const times = Array.from(new Set(input.flatMap(s => s.t))).sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const column = (s, values) => {
        const out = new Array(times.length).fill(null);
        s.t.forEach((t, i) => { out[index.get(t)] = values[i]; });
        return out;
    };
    const data = [times];
    const series = [{}];
    const bands = [];
    input.forEach((s, n) => {
        const colour = palette[n % palette.length];
        if (rollup) {
            data.push(column(s, s.max), column(s, s.min));
            series.push({ label: s.key + ' max', stroke: colour + '55', width: 1 }, { label: s.key + ' min', stroke: colour + '55', width: 1 });
            bands.push({ series: [data.length - 2, data.length - 1], fill: colour + '22' });
        }
        data.push(column(s, s.v));
        series.push({ label: s.key + (rollup ? ' avg' : ''), stroke: colour, width: 2, points: { show: true } });
    });
    const opts = {
        width: Math.max(600, el.clientWidth - 20),
        height: 380,
        series: series,
        bands: bands,
        scales: { x: { time: true } },
        axes: [{}, { label: el.dataset.unit || '' }],
        cursor: { drag: { x: true, y: false } },
    };
    el.chart = new uPlot(opts, data, el);
    el.dataset.rendered = String(times.length);
})();
