// The rig's command line. Every option is described in benchmarks/README.md ("Black-box rig").

export const USAGE = `usage: benchmarks/rig/run [--smoke] [options]
  --shapes LIST          streams x chunks, e.g. 1x40,100x40 (full: 1x40,100x40,100x400,300x40; smoke: 1x10,5x10)
  --arrivals LIST        burst,open (default both)
  --pacing-ms N          time between chunks (25)        --ttft-ms N     mock's time to first chunk (25)
  --reasoning-pct N      share of chunks sent as reasoning_content (60)
  --windows N            measured windows per figure (3; smoke 1)
  --window-s N           shortest open-loop window, seconds (5; a window is at least two stream lengths)
  --burst-min-streams N  a burst window repeats the burst until it holds N streams (5)
  --warmup-chunks N      chunks through each server before measuring, at least (20000; smoke 500)
  --warmup-jit-pct N     ...and until our JVM's JIT took under N % of its CPU in the last warm-up burst (5)
  --warmup-max-streams N ...but at most N warm-up streams (30000; smoke 20)
  --capacity on|off      the capacity sweep (full: on; smoke: a tiny one)
  --capacity-steps LIST  concurrency steps, e.g. 100,200,300 (default 50,100,200,...,600,800,1000; stops at the first failure)
  --capacity-chunks N    chunks per stream in the sweep (40)       --capacity-p99-ms N (50)
  --peer node|none       also measure the Node peer (full: node; smoke: none)
  --relay on|off         a "relay floor" column: the direct read through a do-nothing TCP relay on the server's
                         core, for shapes of at most --relay-max-streams (1) streams (on)
  --server-cpus LIST     cores of the server (and the peer) (1)     --generator-cpus LIST (0)
  --ws-deflate on|off    offer WebSocket permessage-deflate as the real client does (on); off = a diagnostic
  --sio-transports websocket|polling|default   the client's Socket.IO transports: the extension's options
                         (websocket, default), long-polling only, or the library's defaults (polling, then the upgrade)
  --login per-stream|once   log in before every stream, as each chat of the flow does (per-stream), or once per user
  --replay-window D      the server's ai-progress.realtime.replay-window (server default 60s; smoke 3s)
  --no-replay-wait       skip waiting out the replay window at the end (no "after replay window" heap)
  --probe-min-streams N  live-heap probe for shapes with at least N streams (50; smoke 5)
  --gen-bound-pct N      a window whose generator core was busier is marked generator-bound (80)
  --jar PATH             the demo jar (jetty-demo/target/ai-progress-demo.jar)
  --keep-tmp             keep the temp dir (config, GC log, process logs) and print its path
  --build                (the run wrapper) rebuild the demo jar first`;

function list(v) {
  return String(v).split(",").map((s) => s.trim()).filter(Boolean);
}

export function durationMs(text) {
  const m = /^(\d+)(ms|s|m|h)$/.exec(String(text).trim());
  if (!m) throw new Error(`not a duration: ${text} (e.g. 500ms, 60s, 2m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
}

export function parseOptions(argv, repoRoot) {
  const flags = new Set(["smoke", "no-replay-wait", "keep-tmp", "help", "build"]);
  const raw = {};
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    a = a.slice(2);
    const eq = a.indexOf("=");
    if (eq > 0) {
      raw[a.slice(0, eq)] = a.slice(eq + 1);
    } else if (flags.has(a)) {
      raw[a] = true;
    } else {
      if (i + 1 >= argv.length) throw new Error(`--${a} needs a value`);
      raw[a] = argv[++i];
    }
  }
  const known = new Set(USAGE.match(/--[a-z0-9-]+/g).map((s) => s.slice(2)));
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  const smoke = raw.smoke === true;
  const num = (k, d) => {
    const v = raw[k] === undefined ? d : Number(raw[k]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: expected a number, got ${raw[k]}`);
    return v;
  };
  const pacingUs = num("pacing-ms", 25) * 1000;
  const ttftUs = num("ttft-ms", 25) * 1000;
  const reasoningPct = num("reasoning-pct", 60);
  const shapes = list(raw.shapes ?? (smoke ? "1x10,5x10" : "1x40,100x40,100x400,300x40")).map((s) => {
    const m = /^(\d+)x(\d+)$/.exec(s);
    if (!m || +m[1] < 1 || +m[2] < 1) throw new Error(`--shapes: ${s} is not STREAMSxCHUNKS`);
    return { name: s, streams: +m[1], chunks: +m[2], pacingUs, ttftUs, reasoningPct };
  });
  const arrivals = list(raw.arrivals ?? "burst,open");
  for (const a of arrivals) if (a !== "burst" && a !== "open") throw new Error(`--arrivals: ${a} is neither burst nor open`);
  const capacity = raw.capacity ?? "on";
  if (capacity !== "on" && capacity !== "off") throw new Error("--capacity: on or off");
  const capacitySteps = raw["capacity-steps"] ? list(raw["capacity-steps"]).map(Number)
    : smoke ? [2, 4] : [50, 100, 200, 300, 400, 500, 600, 800, 1000];
  const peer = raw.peer ?? (smoke ? "none" : "node");
  if (peer !== "node" && peer !== "none") throw new Error("--peer: node or none");
  const login = raw.login ?? "per-stream";
  if (login !== "per-stream" && login !== "once") throw new Error("--login: per-stream or once");
  const sioTransports = raw["sio-transports"] ?? "websocket";
  if (!["websocket", "polling", "default"].includes(sioTransports)) {
    throw new Error("--sio-transports: websocket, polling or default");
  }
  const wsDeflate = raw["ws-deflate"] ?? "on";
  if (wsDeflate !== "on" && wsDeflate !== "off") throw new Error("--ws-deflate: on or off");
  const replayWindow = raw["replay-window"] ?? (smoke ? "3s" : null);
  return {
    help: raw.help === true,
    smoke, shapes, arrivals, pacingUs, ttftUs, reasoningPct,
    windows: Math.max(1, num("windows", smoke ? 1 : 3)),
    windowUs: num("window-s", smoke ? 1 : 5) * 1e6,
    burstMinStreams: num("burst-min-streams", smoke ? 1 : 5),
    warmupChunks: num("warmup-chunks", smoke ? 500 : 20000),
    warmupJitShare: num("warmup-jit-pct", 5) / 100,
    warmupMaxStreams: num("warmup-max-streams", smoke ? 20 : 30000),
    capacity: capacity === "on",
    capacitySteps,
    capacityChunks: num("capacity-chunks", smoke ? 10 : 40),
    capacityP99Us: num("capacity-p99-ms", 50) * 1000,
    peer: peer === "node",
    relay: (raw.relay ?? "on") === "on",
    relayMaxStreams: num("relay-max-streams", 1),
    serverCpus: String(raw["server-cpus"] ?? "1"),
    generatorCpus: String(raw["generator-cpus"] ?? "0"),
    loginOnce: login === "once",
    wsDeflate: wsDeflate === "on",
    sioTransports,
    replayWindow,
    replayWindowMs: durationMs(replayWindow ?? "60s"),
    replayWait: raw["no-replay-wait"] !== true,
    probeMinStreams: num("probe-min-streams", smoke ? 5 : 50),
    genBoundShare: num("gen-bound-pct", 80) / 100,
    jar: raw.jar ?? `${repoRoot}/jetty-demo/target/ai-progress-demo.jar`,
    keepTmp: raw["keep-tmp"] === true,
    argv,
  };
}
