// The load generator: runs a shape against one target (the mock read directly, ai-progress, or the
// Node peer) in one of two arrival patterns, and cuts the run into measured windows.
//   burst: all streams start together; one window = one burst (repeated back to back until it holds
//          at least `minStreams` streams, so 1 × 40 still gives a usable median). Every stream's
//          setup (login, connect, chat request, reply) lies inside its window.
//   open:  open loop. Streams start at a fixed rate, concurrency / nominal stream length, evenly
//          spread from the first one, whatever the target does: a stalled target makes streams
//          pile up instead of slowing the arrivals. After one stream length of ramp, the windows
//          follow back to back; arrivals stop after the last one, then the live streams drain.
//          Chunks belong to the window they were received in, TTFTs to the window their stream
//          was meant to start in, CPU to the window's wall time; in steady state as many streams
//          start as end in a window, so the window's CPU holds their setup too.
// At every window edge `snapshot()` (rig.mjs: /proc readings) is taken. Any stream error marks the
// run broken: no figure is computed from it.
import { nowUs } from "./clock.mjs";

/** Nominal length of one stream: time to first token plus the chunk schedule. */
export function streamLengthUs(shape) {
  return shape.ttftUs + shape.chunks * shape.pacingUs;
}

let nextRid = 0; // unique over the whole rig: the mock's log is matched by it

class Recorder {
  constructor() {
    this.recs = [];
    this.lat = [];  // µs, per chunk, in arrival order
    this.recv = []; // µs, receive time of the same chunk
  }

  newRec(prefix, intendedUs) {
    const rec = { rid: `${prefix}${nextRid++}`, intendedUs, startUs: nowUs() };
    this.recs.push(rec);
    return rec;
  }

  onChunk = (seq, latencyUs, recvUs) => {
    this.lat.push(latencyUs);
    this.recv.push(recvUs);
  };

  errors() {
    return this.recs.filter((r) => r.error).map((r) => `${r.rid}: ${r.error}`);
  }
}

/**
 * Runs `windows` burst windows of `shape` against `target` ({ prefix, run(shape, rec, onChunk) }).
 * `users` is a pool (see UserPool) or null for the direct target. `hooks.mid` (optional): an
 * async function called once, a quarter into an extra, unmeasured burst (the live-heap probe).
 */
export async function runBurst(target, shape, { windows, minStreams, snapshot, users, hooks }) {
  const out = [];
  const recorder = new Recorder();
  const repeats = Math.max(1, Math.ceil(minStreams / shape.streams));
  for (let w = 0; w < windows; w++) {
    const from = snapshot();
    const firstRec = recorder.recs.length;
    const firstChunk = recorder.lat.length;
    for (let k = 0; k < repeats; k++) {
      await burst(target, shape, recorder, users);
    }
    const to = snapshot();
    const recs = recorder.recs.slice(firstRec);
    out.push(windowFigures(recs, recorder.lat.slice(firstChunk), from, to, false));
  }
  let mid = null;
  if (hooks?.mid) {
    const quarterMs = (shape.ttftUs + shape.chunks * shape.pacingUs / 4) / 1000;
    const before = recorder.recs.length;
    let hookResult;
    const probe = new Promise((resolve) => setTimeout(async () => {
      const live = () => recorder.recs.slice(before).filter((r) => r.doneUs === undefined && !r.error).length;
      const liveAtStart = live();
      hookResult = await hooks.mid();
      resolve({ liveAtStart, liveAtEnd: live(), result: hookResult });
    }, quarterMs));
    await burst(target, shape, recorder, users);
    mid = await probe;
  }
  return { windows: out, errors: recorder.errors(), streams: recorder.recs.length, mid };
}

async function burst(target, shape, recorder, users) {
  const t = nowUs();
  const jobs = [];
  for (let i = 0; i < shape.streams; i++) {
    const user = users?.take();
    if (users && !user) throw new Error("no free user");
    const rec = recorder.newRec(target.prefix, t);
    jobs.push(target.run(shape, rec, recorder.onChunk, user).finally(() => users?.give(user)));
  }
  await Promise.all(jobs);
}

/** Runs the open loop: ramp, `windows` windows of `windowUs` each, then drain. */
export async function runOpen(target, shape, { windows, windowUs, snapshot, users }) {
  const recorder = new Recorder();
  const lengthUs = streamLengthUs(shape);
  const gapUs = lengthUs / shape.streams;
  const t0 = nowUs();
  const edges = [];
  for (let w = 0; w <= windows; w++) edges.push(t0 + lengthUs + w * windowUs);
  const stopUs = edges[windows];
  const jobs = [];
  let k = 0;
  let outOfUsers = 0;
  const snaps = [];

  await new Promise((resolve) => {
    const tick = () => {
      const now = nowUs();
      // every start already due goes now, with its intended time
      while (t0 + k * gapUs <= now && t0 + k * gapUs < stopUs) {
        const intendedUs = t0 + k * gapUs;
        k++;
        const user = users?.take();
        if (users && !user) {
          outOfUsers++;
          continue;
        }
        const rec = recorder.newRec(target.prefix, intendedUs);
        jobs.push(target.run(shape, rec, recorder.onChunk, user).finally(() => users?.give(user)));
      }
      while (snaps.length < edges.length && edges[snaps.length] <= now) snaps.push(snapshot());
      if (snaps.length === edges.length) return resolve();
      const nextStart = t0 + k * gapUs < stopUs ? t0 + k * gapUs : Infinity;
      const next = Math.min(nextStart, edges[snaps.length]);
      setTimeout(tick, Math.max(0, (next - nowUs()) / 1000));
    };
    tick();
  });
  await Promise.all(jobs);

  const out = [];
  for (let w = 0; w < windows; w++) {
    const from = snaps[w];
    const to = snaps[w + 1];
    const inWindow = (t) => t >= from.tUs && t < to.tUs;
    const lat = [];
    for (let i = 0; i < recorder.lat.length; i++) {
      if (inWindow(recorder.recv[i])) lat.push(recorder.lat[i]);
    }
    // TTFT by the window the stream was meant to start in; streams done by the window they ended in
    const started = recorder.recs.filter((r) => inWindow(r.intendedUs));
    const fig = windowFigures(started, lat, from, to, true);
    fig.streamsDone = recorder.recs.filter((r) => r.doneUs !== undefined && inWindow(r.doneUs)).length;
    fig.peakLive = peakLive(recorder.recs, from.tUs, to.tUs);
    out.push(fig);
  }
  // arrivals that found every user busy: the target fell so far behind that more streams were live
  // than the pool holds; not a rig fault, but the figures then leave those streams out
  const overload = outOfUsers ? { dropped: outOfUsers, arrivals: k } : null;
  return { windows: out, errors: recorder.errors(), streams: recorder.recs.length, mid: null, overload,
    peakLive: peakLive(recorder.recs, t0, Infinity) };
}

function peakLive(recs, fromUs, toUs) {
  const ev = [];
  for (const r of recs) {
    const end = r.doneUs ?? Infinity;
    if (r.startUs < toUs && end >= fromUs) {
      ev.push([Math.max(r.startUs, fromUs), 1], [end, -1]);
    }
  }
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let peak = 0;
  for (const [, d] of ev) {
    live += d;
    peak = Math.max(peak, live);
  }
  return peak;
}

function windowFigures(recs, lat, from, to, open) {
  const ttft = [];
  const ttftIntended = [];
  const startLag = [];
  for (const r of recs) {
    if (r.firstUs !== undefined && r.chatUs !== undefined) ttft.push(r.firstUs - r.chatUs);
    if (r.firstUs !== undefined) ttftIntended.push(r.firstUs - r.intendedUs);
    startLag.push(r.startUs - r.intendedUs);
  }
  return {
    from, to, lat: Float64Array.from(lat), ttft: Float64Array.from(ttft),
    ttftIntended: Float64Array.from(ttftIntended), startLag: Float64Array.from(startLag),
    streamsDone: open ? 0 : recs.length, rids: recs.map((r) => r.rid),
    recs: recs.map((r) => ({ rid: r.rid, chatUs: r.chatUs, firstUs: r.firstUs })),
  };
}

/**
 * The demo users, one live stream each (a second stream of the same user would get the first
 * one's events too: ai-progress fans out to all of a user's sockets). Least recently used first,
 * so a user comes back as late as possible.
 */
export class UserPool {
  constructor(names, password, loginOnce) {
    this.free = names.map((name) => ({ name, password, cookies: loginOnce ? {} : undefined }));
  }

  take() {
    return this.free.shift();
  }

  give(user) {
    if (user) this.free.push(user);
  }
}
