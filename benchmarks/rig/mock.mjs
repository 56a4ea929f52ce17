// The mock upstream: a paced, stamped OpenAI/DeepSeek-dialect SSE server, in a process of its own.
//   POST <any path ending in>/chat/completions, a body holding a stream spec (stamps.mjs), answers
//   `data: {chat.completion.chunk}` lines as DeepSeek's deepseek-reasoner does: reasoning_content for
//   the first reasoning-pct of the chunks, then content, a finish chunk with usage, `data: [DONE]`.
//   GET /_log returns (and forgets) one entry per stream: when its request head and body arrived,
//   when its first and last chunk went out; the generator checks its own TTFTs against it.
// Prints {"port":N} once listening on 127.0.0.1 (port 0 = any free port).
//
// Why a process of its own (on the generator's core): its sends keep their schedule even while the
// generator's event loop is busy parsing a burst of frames, and its CPU is its own line in /proc.
// Chunks go on an absolute schedule (start + ttft + i × pacing); a late timer does not shift later
// chunks, and each chunk is stamped right before its write, so a late wake-up never counts as
// latency. Writes never wait for the reader: a server that stops reading shows up as latency.
import http from "node:http";
import { nowUs } from "./clock.mjs";
import { chunkText, parseSpec, reasoningChunks } from "./stamps.mjs";

const port = Number(process.argv[2] ?? 0);
let log = [];

function envelope(id, delta, finish) {
  return `data: {"id":"${id}","object":"chat.completion.chunk","created":1767225600,"model":"deepseek-reasoner",`
    + `"system_fingerprint":"fp_rig","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]`;
}

function stream(req, res, spec, entry) {
  const id = "rig-" + spec.rid;
  const reasoning = reasoningChunks(spec);
  // the head goes out at once, as a real upstream answers before its first token
  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
  res.flushHeaders();
  const startUs = entry.bodyUs;
  let i = 0;
  let timer = null;
  const tick = () => {
    timer = null;
    // every chunk already due goes out now, each with its own stamp and write
    while (i < spec.chunks && nowUs() >= startUs + spec.ttftUs + i * spec.pacingUs - 500) {
      const seq = i + 1;
      const sendUs = nowUs();
      const text = chunkText(seq, sendUs);
      const delta = i === 0
        ? `{"role":"assistant","content":null,"reasoning_content":"${text}"}`
        : i < reasoning ? `{"content":null,"reasoning_content":"${text}"}` : `{"content":"${text}","reasoning_content":null}`;
      res.write(envelope(id, delta, "null") + "}\n\n");
      if (i === 0) entry.firstUs = sendUs;
      entry.lastUs = sendUs;
      i++;
    }
    if (i < spec.chunks) {
      const dueUs = startUs + spec.ttftUs + i * spec.pacingUs;
      timer = setTimeout(tick, Math.max(0, (dueUs - nowUs()) / 1000 - 0.5));
      return;
    }
    const usage = `"usage":{"prompt_tokens":16,"completion_tokens":${spec.chunks},"total_tokens":${spec.chunks + 16},`
      + `"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":16,"completion_tokens_details":{"reasoning_tokens":${reasoning}}}`;
    res.end(envelope(id, `{"content":"","reasoning_content":null}`, `"stop"`) + "," + usage + "}\n\ndata: [DONE]\n\n");
    entry.endUs = nowUs();
    entry.chunks = i;
  };
  res.on("close", () => {
    if (timer) clearTimeout(timer);
    if (entry.endUs === undefined) entry.aborted = true;
  });
  tick();
}

const server = http.createServer({ noDelay: true, keepAliveTimeout: 120_000, requestTimeout: 0 }, (req, res) => {
  const entry = { headUs: nowUs() };
  if (req.method === "GET" && req.url === "/_log") {
    const body = JSON.stringify(log);
    log = [];
    res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    return;
  }
  const parts = [];
  req.on("data", (b) => parts.push(b));
  req.on("end", () => {
    entry.bodyUs = nowUs();
    const spec = req.method === "POST" && req.url.endsWith("/chat/completions")
      ? parseSpec(Buffer.concat(parts).toString("utf8")) : null;
    if (!spec) {
      res.writeHead(400, { "Content-Type": "application/json" })
        .end(`{"error":{"message":"no rig-stream spec","type":"invalid_request_error"}}`);
      return;
    }
    entry.rid = spec.rid;
    log.push(entry);
    stream(req, res, spec, entry);
  });
});
server.on("connection", (socket) => socket.setNoDelay(true));
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => process.exit(0));
