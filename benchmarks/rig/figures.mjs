// From one run's raw windows (generator.mjs) and the /proc snapshots at their edges to the
// figures of each window, then their median and min–max across windows.
import { busyShare } from "./proc.mjs";
import { across, max, percentile } from "./stats.mjs";

/**
 * One window's figures for target `key` ("direct", "server" or "peer"). The direct column's CPU
 * is the mock's own process (what it costs to produce the chunks), printed for reference only.
 */
export function windowFigures(w, key, ctx) {
  const sec = (w.to.tUs - w.from.tUs) / 1e6;
  const proc = key === "direct" ? "mock" : key;
  // the relay's CPU figures are its own process (bytes only); its latency is the point
  const chunks = w.lat.length;
  const cpuMs = w.to.cpu[proc] - w.from.cpu[proc];
  const serverCoreBusy = busyShare(w.from.cores, w.to.cores, ctx.serverCpus);
  const ownShare = key === "direct" ? 0 : cpuMs / 1000 / sec / ctx.serverCpus.length;
  const pauses = key === "server" ? ctx.gcPauses().filter((p) => p.endUs >= w.from.tUs && p.endUs < w.to.tUs) : null;
  return {
    sec, chunks, streams: w.streamsDone, peakLive: w.peakLive,
    p50: percentile(w.lat, 50) / 1000, p99: percentile(w.lat, 99) / 1000, max: max(w.lat) / 1000,
    ttft50: percentile(w.ttft, 50) / 1000, ttft99: percentile(w.ttft, 99) / 1000,
    ttftIntended99: percentile(w.ttftIntended, 99) / 1000, startLag99: percentile(w.startLag, 99) / 1000,
    cpuMs, cpuPerChunkUs: cpuMs * 1000 / chunks, cpuPerStreamMs: cpuMs / w.streamsDone,
    gcCount: pauses ? pauses.length : NaN, gcMaxMs: pauses ? (pauses.length ? Math.max(...pauses.map((p) => p.ms)) : 0) : NaN,
    gcSumMs: pauses ? pauses.reduce((a, p) => a + p.ms, 0) : NaN,
    rssMB: w.to.rss[proc] / 2 ** 20,
    jitShare: key === "server" ? (w.to.jit.server - w.from.jit.server) / Math.max(1, cpuMs) : NaN,
    genBusy: busyShare(w.from.cores, w.to.cores, ctx.generatorCpus),
    othersOnServerCores: serverCoreBusy - ownShare,
    // what ran on the generator's core besides the generator and the mock (jcmd never runs inside a window)
    othersOnGenCores: busyShare(w.from.cores, w.to.cores, ctx.generatorCpus)
      - ((w.to.self - w.from.self) / 1e6 + (w.to.cpu.mock - w.from.cpu.mock) / 1000) / sec / ctx.generatorCpus.length,
    // the generator process alone, and the mock (both on the generator's core)
    genCpuPerChunkUs: (w.to.self - w.from.self) / chunks,
    mockCpuPerChunkUs: (w.to.cpu.mock - w.from.cpu.mock) * 1000 / chunks,
  };
}

/** Figures of every window of a run, and per figure {median, min, max} over them. */
export function runFigures(run, key, ctx) {
  const perWindow = run.windows.map((w) => windowFigures(w, key, ctx));
  const summary = {};
  for (const k of Object.keys(perWindow[0] ?? {})) summary[k] = across(perWindow.map((f) => f[k]));
  summary.genBound = perWindow.some((f) => f.genBusy > ctx.genBoundShare);
  return { perWindow, summary };
}
