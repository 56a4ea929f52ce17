// Every process the rig starts goes through here, so every one of them ends with the rig: on a
// normal exit, an error, Ctrl+C or SIGTERM. Each is pinned with taskset; its output goes to a file
// in the rig's temp dir (read back for its "listening" line), never through the generator's loop.
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const children = new Set();
let tmp = null;
let keepTmp = false;

export function tempDir(keep) {
  if (!tmp) {
    tmp = mkdtempSync(path.join(os.tmpdir(), "ai-progress-rig-"));
    keepTmp = keep;
  }
  return tmp;
}

/** Starts `cmd args` pinned to `cpus`; stdout and stderr go to <tmp>/<name>.log. */
export function startPinned(name, cpus, cmd, args, env) {
  const logFile = path.join(tempDir(), name + ".log");
  const fd = openSync(logFile, "w");
  const child = spawn("taskset", ["-c", String(cpus), cmd, ...args], {
    stdio: ["ignore", fd, fd], env: env ?? process.env,
  });
  const entry = { name, child, logFile, exited: null };
  children.add(entry);
  child.on("exit", (code, signal) => {
    entry.exited = { code, signal };
  });
  return entry;
}

/** Waits until the child's log has a line matching `re`; returns the match. Fails if it exits first. */
export async function waitForLine(entry, re, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = readFileSync(entry.logFile, "utf8");
    const m = re.exec(text);
    if (m) return m;
    if (entry.exited) throw new Error(`${entry.name} exited (${JSON.stringify(entry.exited)}):\n${text.slice(-2000)}`);
    if (Date.now() > until) throw new Error(`${entry.name} did not start within ${timeoutMs} ms:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Null while every child is alive, else which one died and how. */
export function deadChild() {
  for (const e of children) {
    if (e.exited && !e.stopping) return `${e.name} died (${JSON.stringify(e.exited)}); its log: ${e.logFile}`;
  }
  return null;
}

export async function stopAll() {
  const live = [...children].filter((e) => !e.exited);
  for (const e of live) {
    e.stopping = true;
    e.child.kill("SIGTERM");
  }
  const deadline = Date.now() + 5000;
  while (live.some((e) => !e.exited) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const e of live) if (!e.exited) e.child.kill("SIGKILL");
  children.clear();
  if (tmp && !keepTmp) rmSync(tmp, { recursive: true, force: true });
}

/** Synchronous last resort (process 'exit'): no awaiting there. */
function killNow() {
  for (const e of children) if (!e.exited) e.child.kill("SIGKILL");
  if (tmp && !keepTmp) rmSync(tmp, { recursive: true, force: true });
}

process.on("exit", killNow);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    process.stderr.write(`\nrig: ${sig}, stopping every process it started\n`);
    await stopAll();
    process.exit(130);
  });
}
