// Markdown tables: one per shape and arrival pattern (direct | ai-progress | Node peer | target |
// met), the capacity sweep, and the T20–T25 summary. Cells are the median over the windows with
// the min–max beside it; ‡ marks a figure from a window whose generator core was over the
// generator-bound threshold.

export function fmt(v, digits) {
  if (v === undefined || v === null || Number.isNaN(v)) return "—";
  if (!Number.isFinite(v)) return String(v);
  if (digits !== undefined) return v.toFixed(digits);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

function cell(s, scale = 1, digits) {
  if (!s || !s.n) return "—";
  const m = fmt(s.median * scale, digits);
  return s.n > 1 && s.min !== s.max ? `${m} (${fmt(s.min * scale, digits)}–${fmt(s.max * scale, digits)})` : m;
}

const is = (shape, streams, chunks) => shape.streams === streams && shape.chunks === chunks;

/** Target rows: which figure of which shape a T2x judges, and how. */
export function targetFor(row, shape, arrival) {
  if (row === "p99" && (is(shape, 100, 40) || is(shape, 100, 400))) {
    return { text: "T22 ≤ 20 ms" + (arrival === "burst" ? " (judged open-loop)" : ""), ok: (v) => v <= 20, judged: arrival === "open" };
  }
  if (row === "cpuPerChunkUs" && is(shape, 100, 40)) return { text: "T20 ≤ 100 µs", ok: (v) => v <= 100, judged: true };
  if (row === "cpuPerChunkUs" && is(shape, 100, 400)) return { text: "T21 ≤ 35 µs", ok: (v) => v <= 35, judged: true };
  if (row === "addedP50" && is(shape, 1, 40)) return { text: "T25 ≤ 0.2 ms", ok: (v) => v <= 0.2, judged: true };
  if (row === "addedTtft50" && is(shape, 1, 40)) return { text: "T25 ≤ 1 ms", ok: (v) => v <= 1, judged: true };
  if (row === "liveStreamKB") return { text: "T24 ≤ 20 KB", ok: (v) => v <= 20, judged: true };
  return null;
}

const LATENCY_ROWS = new Set(["p50", "p99", "max", "addedP50", "ttft50", "ttft99", "addedTtft50", "ttftIntended99"]);

/**
 * cols: [{name, fig (runFigures result) | null, extra: {liveHeapMB, liveStreamKB}}] with the
 * direct column first. Returns Markdown lines.
 */
export function shapeTable(shape, arrival, cols, opts) {
  const direct = cols[0].fig?.summary;
  const rows = [
    ["p50", "chunk latency p50 (ms)"],
    ["p99", "chunk latency p99 (ms)"],
    ["max", "chunk latency max (ms)"],
    ["addedP50", "added per-chunk p50 over direct (ms)"],
    ["ttft50", "TTFT p50 (ms): chat POST sent → first chunk"],
    ["ttft99", "TTFT p99 (ms)"],
    ["addedTtft50", "added TTFT p50 over direct (ms)"],
    ...(arrival === "open" ? [["ttftIntended99", "TTFT from intended start p99 (ms)"], ["startLag99", "start lag p99 (ms): started − intended"],
      ["peakLive", "peak live streams"]] : []),
    ["cpuPerChunkUs", "CPU per chunk (µs), whole process ¹"],
    ["cpuPerStreamMs", "CPU per stream (ms), whole process ¹"],
    ["jitShare", "JIT compiler threads' share of the process CPU (%)"],
    ["gcCount", "GC pauses in window (count)"],
    ["gcMaxMs", "GC pause max (ms)"],
    ["liveHeapMB", "live heap after the run (MB) ²"],
    ["liveStreamKB", "live heap per live stream (KB) ³"],
    ["rssMB", "RSS at window end (MB)"],
    ["genBusy", "generator core busy (%)"],
    ["othersOnServerCores", "others on the server's core (%) ⁴"],
    ["othersOnGenCores", "others on the generator's core (%) ⁴"],
    ["genCpuPerChunkUs", "generator process CPU per chunk (µs)"],
    ["chunks", "raw: chunks delivered"],
    ["streams", "raw: streams completed"],
    ["cpuMs", "raw: process CPU in window (ms)"],
    ["sec", "raw: window (s)"],
  ];
  const lines = [];
  const pattern = arrival === "burst" ? "burst (all streams start together)" : "open loop (arrivals at a fixed rate, concurrency held)";
  lines.push(`### ${shape.streams} × ${shape.chunks}, ${pattern}`, "");
  lines.push(`| figure | ${cols.map((c) => c.name).join(" | ")} | target | met |`);
  lines.push(`|---|${cols.map(() => "---|").join("")}---|---|`);
  let anyGenBound = false;
  for (const [key, label] of rows) {
    const cells = cols.map((c, i) => {
      if (c.broken) return i === 0 || key === "p50" ? `BROKEN` : "";
      const s = c.fig?.summary;
      if (!s) return "—";
      let v;
      let text;
      if (key === "addedP50" || key === "addedTtft50") {
        if (i === 0 || !direct) return "—";
        const base = key === "addedP50" ? "p50" : "ttft50";
        v = s[base].median - direct[base].median;
        text = (v >= 0 ? "+" : "") + fmt(v);
      } else if (key === "liveHeapMB" || key === "liveStreamKB") {
        v = c.extra?.[key];
        text = c.extra?.[key + "Text"] ?? fmt(v);
      } else if (key === "genBusy" || key.startsWith("othersOn") || key === "jitShare") {
        if (key === "jitShare" && !Number.isFinite(s[key]?.median)) return "—";
        v = s[key].median * 100;
        text = cell(s[key], 100, 0);
      } else {
        v = s[key]?.median;
        text = cell(s[key]);
      }
      if (s.genBound && LATENCY_ROWS.has(key)) {
        text += " ‡";
        anyGenBound = true;
      }
      if (c.overload && key === "p50") text += " ⊘";
      c["_" + key] = v;
      return text;
    });
    const t = targetFor(key, shape, arrival);
    const server = cols.find((c) => c.name === "ai-progress");
    let met = "";
    if (t && server && !server.broken) {
      const v = server["_" + key];
      met = Number.isFinite(v) ? (t.ok(v) && !server.overload ? "met" : "not met") : "—";
      if (!t.judged) met = `(${met})`;
      if (server.fig?.summary.genBound && LATENCY_ROWS.has(key)) met += " ‡";
    }
    lines.push(`| ${label} | ${cells.join(" | ")} | ${t?.text ?? ""} | ${met} |`);
  }
  lines.push("", "¹ utime + stime of the whole process (/proc/<pid>/stat, all threads, 10 ms ticks) over the window ÷ chunks delivered, ÷ streams completed;"
    + " a burst window holds every setup of its streams (login, connect, chat request, reply), an open-loop window the setups of the streams that started in it."
    + " Direct column: the mock's own process. ² `jcmd GC.class_histogram` (a full GC first: live objects) after the windows, no stream live."
    + " ³ live heap a quarter into one more (unmeasured) burst minus ², ÷ the streams live: all they hold (sockets, sessions, tasks, upstream connections, replay entries so far)."
    + " ⁴ the core's busy share (/proc/stat) minus the measured processes' own: other work on the machine.", "");
  for (const c of cols) if (c.overload) lines.push(`⊘ ${c.name} overloaded: ${c.overload}; its figures leave those streams out.`, "");
  if (anyGenBound) lines.push(`‡ at least one window's generator core was over ${opts.genBoundShare * 100} % busy: generator-bound, the figure may be the generator's.`, "");
  return lines;
}

export function capacityTable(steps, names, p99LimitMs) {
  const lines = ["### Capacity sweep: open loop, 40-chunk/s streams", ""];
  lines.push(`| concurrent streams | ${names.map((n) => `${n} p99 ms`).join(" | ")} | ${names.map((n) => `${n}`).join(" | ")} | generator core busy |`);
  lines.push(`|---|${names.map(() => "---|").join("")}${names.map(() => "---|").join("")}---|`);
  for (const st of steps) {
    const p99 = names.map((n) => (st[n] ? cell(st[n].p99) : "—"));
    const verdict = names.map((n) => (st[n] ? st[n].verdict : "—"));
    lines.push(`| ${st.streams} | ${p99.join(" | ")} | ${verdict.join(" | ")} | ${st.genBusy} |`);
  }
  lines.push("", `A step passes with chunk p99 (median of the windows) ≤ ${p99LimitMs} ms, every chunk of every stream in order, and a generator core under the threshold.`, "");
  return lines;
}

export function summaryTable(rows) {
  const lines = ["### Targets T20–T25 (ai-progress; the Node peer beside it)", ""];
  lines.push("| id | target | ai-progress | Node peer | met |", "|---|---|---|---|---|");
  for (const r of rows) lines.push(`| ${r.id} | ${r.target} | ${r.ours} | ${r.peer ?? "—"} | ${r.met} |`);
  lines.push("");
  return lines;
}
