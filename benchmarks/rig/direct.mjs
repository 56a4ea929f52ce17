// The baseline: one stream read straight from the mock by the generator, with the same shape as
// through the server. The request (head and body) is written in ONE write on a fresh connection
// with Nagle off: a client that sends the head and the body in two segments (Node's fetch does)
// meets the peer's delayed ACK and adds ~40 ms to its TTFT, which would make any server look fast.
// The response is read as a client library would: chunked transfer coding, SSE events, JSON.parse
// of every data line, then reasoning_content / content.
import net from "node:net";
import { nowUs } from "./clock.mjs";
import { checkText, reasoningChunks, StampReader, streamSpec } from "./stamps.mjs";

/**
 * Runs one direct stream. `rec` (from generator.mjs) gets chatUs, firstUs, doneUs, the chunk
 * latencies through onChunk and `error` on any problem. Resolves when the stream ended.
 */
export function directStream(mockPort, shape, rec, onChunk) {
  return new Promise((resolve) => {
    const body = JSON.stringify({
      model: "deepseek-reasoner", stream: true, stream_options: { include_usage: true },
      messages: [{ role: "user", content: streamSpec(shape, rec.rid) }],
    });
    const request = "POST /chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + `Accept: text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` + body;
    const r = reasoningChunks(shape);
    const parts = { reasoning: "", text: "" };
    const readers = {
      reasoning: new StampReader(1, r, onChunk),
      text: new StampReader(r + 1, shape.chunks, onChunk),
    };
    let head = null; // the HTTP head, until it is complete
    let raw = "";    // chunked body bytes not yet de-chunked
    let sse = "";    // SSE text not yet split into events
    let done = false;
    let finished = false;
    const fail = (why) => {
      if (!rec.error) rec.error = why;
      socket.destroy();
    };
    const socket = net.connect({ host: "127.0.0.1", port: mockPort, noDelay: true }, () => {
      rec.chatUs = nowUs();
      socket.write(request);
    });
    socket.setEncoding("latin1"); // all bytes the mock sends are ASCII
    socket.on("data", (data) => {
      const recvUs = nowUs();
      if (head === null) {
        raw += data;
        const end = raw.indexOf("\r\n\r\n");
        if (end < 0) return;
        head = raw.slice(0, end);
        raw = raw.slice(end + 4);
        if (!head.startsWith("HTTP/1.1 200")) return fail("direct: " + head.split("\r\n")[0]);
      } else {
        raw += data;
      }
      // de-chunk
      for (;;) {
        const eol = raw.indexOf("\r\n");
        if (eol < 0) break;
        const size = parseInt(raw.slice(0, eol), 16);
        if (size === 0) {
          finished = true;
          break;
        }
        if (raw.length < eol + 2 + size + 2) break;
        sse += raw.slice(eol + 2, eol + 2 + size);
        raw = raw.slice(eol + 2 + size + 2);
      }
      // SSE events
      let sep;
      while ((sep = sse.indexOf("\n\n")) >= 0) {
        const event = sse.slice(0, sep);
        sse = sse.slice(sep + 2);
        for (const line of event.split("\n")) {
          if (!line.startsWith("data:")) continue;
          const payload = line.slice(5).trim();
          if (payload === "[DONE]") {
            done = true;
            continue;
          }
          const delta = JSON.parse(payload).choices?.[0]?.delta ?? {};
          for (const [field, kind] of [["reasoning_content", "reasoning"], ["content", "text"]]) {
            const t = delta[field];
            if (t) {
              if (rec.firstUs === undefined) rec.firstUs = recvUs;
              parts[kind] += t;
              readers[kind].feed(t, recvUs);
            }
          }
        }
      }
      if (finished) socket.end();
    });
    socket.on("error", (e) => fail("direct: " + e.message));
    socket.on("close", () => {
      rec.doneUs = nowUs();
      if (!rec.error && !(done && finished)) rec.error = "direct: stream ended without [DONE]";
      const problem = readers.reasoning.finish() ?? readers.text.finish()
        ?? checkText(parts.reasoning, 1, r) ?? checkText(parts.text, r + 1, shape.chunks);
      if (!rec.error && problem) rec.error = "direct: " + problem;
      resolve();
    });
  });
}
