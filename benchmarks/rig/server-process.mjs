// The server under test: the runnable demo jar in a JVM of its own, pinned to its core(s), on the
// JVM's own defaults for that core count (no heap or GC flags; on one CPU the JVM picks Serial).
// Only logging is added: -Xlog:gc to a file, decorated with `timenanos` (System.nanoTime, i.e.
// CLOCK_MONOTONIC, the generator's clock) so each pause can be placed in a window.
// Live heap comes from `jcmd <pid> GC.class_histogram` (it runs a full GC first, so the total is
// live objects only), always taken between measured windows; jcmd is pinned to the generator's core.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startPinned, tempDir, waitForLine } from "./children.mjs";

const KEYS_TO_DROP = ["DEEPSEEK_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OLLAMA_URL"];

/** The --config file: one provider (the mock, DeepSeek dialect), many users, optional replay window. */
export function writeConfig(mockPort, userNames, password, replayWindow) {
  const lines = [
    "# written by benchmarks/rig for one run",
    "ai-progress.providers=mock",
    "ai-progress.provider.mock.dialect=openai",
    `ai-progress.provider.mock.base-url=http://127.0.0.1:${mockPort}`,
    "ai-progress.provider.mock.model=deepseek-reasoner",
    `ai-progress.demo.users=${userNames.map((u) => `${u}:${password}`).join(",")}`,
  ];
  if (replayWindow) lines.push(`ai-progress.realtime.replay-window=${replayWindow}`);
  const file = path.join(tempDir(), "server.properties");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

export async function startServer(jar, cpus, configFile) {
  const gcLog = path.join(tempDir(), "gc.log");
  // RIG_SERVER_JAVA_OPTS: extra JVM options for diagnosis only (a profiler agent, say); they show in
  // the printed command, and a figure taken with them is not the server on its defaults
  const extra = (process.env.RIG_SERVER_JAVA_OPTS ?? "").split(/\s+/).filter(Boolean);
  const args = [...extra, `-Xlog:gc:file=${gcLog}:timenanos,uptime,level,tags`, "-jar", jar, "--port", "0", "--config", configFile];
  // the real providers' keys would add providers to the demo: the server gets none of them
  const env = { ...process.env };
  for (const k of KEYS_TO_DROP) delete env[k];
  const entry = startPinned("server", cpus, "java", args, env);
  const m = await waitForLine(entry, /ai-progress demo serving (http:\/\/127\.0\.0\.1:(\d+))\//, 60_000);
  return {
    entry, pid: entry.child.pid, baseUrl: m[1], gcLog,
    command: `taskset -c ${cpus} java ${args.join(" ")}`,
  };
}

/** Runs jcmd against the server, pinned to the generator's core; resolves to its output. */
export function jcmd(pid, generatorCpus, ...command) {
  return new Promise((resolve, reject) => {
    execFile("taskset", ["-c", String(generatorCpus), "jcmd", String(pid), ...command],
      { maxBuffer: 64 << 20 }, (err, stdout, stderr) => (err ? reject(new Error(`jcmd ${command.join(" ")}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

/** GC.class_histogram → { total: bytes, instances, classes: Map name → {instances, bytes} }. */
export function parseHistogram(text) {
  const classes = new Map();
  let total = NaN;
  let instances = NaN;
  for (const line of text.split("\n")) {
    let m = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (m) {
      classes.set(m[3], { instances: Number(m[1]), bytes: Number(m[2]) });
      continue;
    }
    m = /^Total\s+(\d+)\s+(\d+)/.exec(line);
    if (m) {
      instances = Number(m[1]);
      total = Number(m[2]);
    }
  }
  if (Number.isNaN(total)) throw new Error("no Total line in GC.class_histogram output");
  return { total, instances, classes };
}

/** Live heap now (a full GC inside jcmd), with the class table for diffs. */
export async function liveHeap(server, generatorCpus) {
  const t0 = Date.now();
  const h = parseHistogram(await jcmd(server.pid, generatorCpus, "GC.class_histogram"));
  h.ms = Date.now() - t0;
  return h;
}

/** The classes that grew most from `a` to `b`: [{name, instances, bytes}] by bytes. */
export function histogramGrowth(a, b, top) {
  const rows = [];
  for (const [name, v] of b.classes) {
    const before = a.classes.get(name) ?? { instances: 0, bytes: 0 };
    rows.push({ name, instances: v.instances - before.instances, bytes: v.bytes - before.bytes });
  }
  return rows.sort((x, y) => y.bytes - x.bytes).slice(0, top);
}

/**
 * Pauses in the GC log: [{endUs, ms, what}], endUs on the generator's clock. The line is logged
 * when a pause ends, so its timestamp is the pause's end.
 */
export function gcPauses(gcLog) {
  const out = [];
  let text;
  try {
    text = readFileSync(gcLog, "utf8");
  } catch {
    return out;
  }
  const re = /\[(\d+)ns\].*\[gc\s*\] GC\(\d+\) (Pause \w+.*) ([\d.]+)ms$/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    out.push({ endUs: Number(m[1]) / 1000, ms: Number(m[3]), what: m[2] });
  }
  return out;
}

/** "Using Serial" from the GC log's first lines. */
export function chosenGc(gcLog) {
  const m = /Using (\S+)/.exec(readFileSync(gcLog, "utf8"));
  return m ? m[1] : "unknown";
}
