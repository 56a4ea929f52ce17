// Percentiles and the across-window summary (median, min–max) of every figure.

/** p in 0..100 of a Float64Array (nearest rank); NaN when empty. Sorts a copy. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
  return sorted[rank];
}

export function max(values) {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return values.length ? m : NaN;
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** {median, min, max, n} of one figure over the windows. */
export function across(values) {
  const v = values.filter((x) => Number.isFinite(x));
  return { median: median(v), min: v.length ? Math.min(...v) : NaN, max: v.length ? Math.max(...v) : NaN, n: v.length };
}
