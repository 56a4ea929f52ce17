// Readings from /proc, cheap enough to take at every window edge.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** utime + stime of the whole process (every thread, live or ended: JIT, GC, I/O), in ms. */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * 1000 / CLK_TCK;
}

/**
 * CPU ms of a JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"), summed over the
 * live ones (compiler threads come and go; one that ended takes its time with it, so this is a
 * floor). NaN when the process is not a JVM we can read.
 */
export function jitCpuMs(pid) {
  let ms = 0;
  let found = false;
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return NaN;
  }
  for (const tid of tasks) {
    try {
      if (!/^C[12] CompilerThre/.test(readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8"))) continue;
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ms += (Number(f[11]) + Number(f[12])) * 1000 / CLK_TCK;
      found = true;
    } catch {
      // the thread ended between readdir and read
    }
  }
  return found ? ms : NaN;
}

/** VmRSS in bytes. */
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Per core {busy, total} jiffies since boot; busy counts user, nice, system, irq, softirq, steal. */
export function coreTimes() {
  const cores = {};
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].trim().split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + (steal || 0);
    cores[m[1]] = { busy, total: busy + idle + iowait };
  }
  return cores;
}

/** Busy share (0..1) of a set of cores between two coreTimes() readings. */
export function busyShare(a, b, cpus) {
  let busy = 0;
  let total = 0;
  for (const c of cpus) {
    busy += b[c].busy - a[c].busy;
    total += b[c].total - a[c].total;
  }
  return total > 0 ? busy / total : NaN;
}

/** "0-1,3" → [0, 1, 3] */
export function parseCpuList(list) {
  const out = [];
  for (const part of String(list).split(",")) {
    const [a, b] = part.split("-").map(Number);
    for (let c = a; c <= (Number.isNaN(b) || b === undefined ? a : b); c++) out.push(c);
  }
  return out;
}
