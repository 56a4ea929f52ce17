// One stream exactly as the Oropendola VS Code extension does it, with its client library
// (socket.io-client 4.8.1) and its options:
//   1. POST /api/method/login (form usr, pwd), keep every cookie;
//   2. io(baseUrl, {...the extension's options, forceNew}) with auth.sid and the cookies;
//   3. once connected, POST /api/method/ai_assistant.api.chat_completion (JSON, cookie);
//   4. collect ai_progress events, rebuild reasoning and text, close the socket on "complete";
//   5. the HTTP reply's message.content / message.reasoning must equal what the events rebuilt.
// The same flow drives the Node peer. Login and chat go through node:http on a keep-alive agent
// (body written together with the head: no delayed-ACK stall); the socket is the real client.
import http from "node:http";
import { io } from "socket.io-client";
import { nowUs } from "./clock.mjs";
import { checkText, reasoningChunks, StampReader, streamSpec } from "./stamps.mjs";

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, noDelay: true });

function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST", agent,
      headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
    }, (res) => {
      const parts = [];
      res.setEncoding("utf8");
      res.on("data", (d) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text: parts.join("") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body); // head and body leave in one write
  });
}

/**
 * Runs one stream through a server at baseUrl (ai-progress or the Node peer) as `user`.
 * Fills `rec` (loginUs, connectUs, chatUs, firstUs, completeUs, replyUs, doneUs, reconnects, error) and calls
 * onChunk(seq, latencyUs, recvUs) per chunk. Resolves when the reply came and the socket closed, or
 * on the first error. `cookies` (optional) reuses an earlier login instead of logging in again.
 */
// sioTransports: "websocket" = the extension's options (transports ['websocket','polling']: WebSocket
// straight away); "polling" = long-polling only; "default" = the library's defaults (long-polling,
// then the upgrade to WebSocket).
export async function extensionStream(baseUrl, user, shape, rec, onChunk, timeoutMs, cookies, wsDeflate = true,
  sioTransports = "websocket") {
  let socket;
  let timer;
  try {
    let cookieHeader = cookies?.header;
    let sid = cookies?.sid;
    if (!cookieHeader) {
      const login = await post(baseUrl + "/api/method/login",
        { "Content-Type": "application/x-www-form-urlencoded" },
        new URLSearchParams({ usr: user.name, pwd: user.password }).toString());
      const jar = (login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0].trim()).filter((c) => c.includes("="));
      cookieHeader = jar.join("; ");
      sid = jar.map((c) => c.split("=")).find(([n]) => n === "sid")?.slice(1).join("=");
      if (login.status !== 200 || !sid) throw new Error(`login ${login.status} ${login.text.slice(0, 80)}`);
      rec.loginUs = nowUs();
      if (cookies) Object.assign(cookies, { header: cookieHeader, sid });
    }

    const r = reasoningChunks(shape);
    const parts = { reasoning: "", text: "" };
    const readers = {
      reasoning: new StampReader(1, r, onChunk),
      text: new StampReader(r + 1, shape.chunks, onChunk),
    };
    let taskId = null;
    let lastSeq = 0;
    let completeResolve;
    const completed = new Promise((res) => { completeResolve = res; });
    const problem = (why) => {
      if (!rec.error) rec.error = why;
      completeResolve();
    };
    timer = setTimeout(() => problem("timed out"), timeoutMs);

    socket = io(baseUrl, {
      path: "/socket.io",
      ...(sioTransports === "default" ? {} : {
        transports: sioTransports === "polling" ? ["polling"] : ["websocket", "polling"],
      }),
      auth: { sid },
      extraHeaders: { Cookie: cookieHeader },
      reconnection: true,
      reconnectionAttempts: 5,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 20000,
      forceNew: true,
      // the extension sets nothing here, so `ws` offers permessage-deflate; off only for --ws-deflate off
      ...(wsDeflate ? {} : { perMessageDeflate: false }),
    });
    const connected = new Promise((resolve) => {
      socket.on("connect", () => {
        if (rec.connectUs === undefined) {
          rec.connectUs = nowUs();
          resolve();
        } else {
          rec.reconnects = (rec.reconnects ?? 0) + 1;
        }
      });
    });
    socket.on("connect_error", (e) => problem("socket connect_error: " + e.message));
    socket.on("disconnect", (reason) => {
      if (rec.completeUs === undefined) rec.disconnects = (rec.disconnects ?? []).concat(reason);
    });
    socket.on("ai_progress", (data) => {
      const recvUs = nowUs();
      if (rec.completeUs !== undefined) return;
      if (taskId === null) taskId = data.task_id;
      if (data.task_id !== taskId) return problem(`event of another task ${data.task_id} (mine ${taskId})`);
      if (!(data.seq > lastSeq)) return problem(`event seq ${data.seq} after ${lastSeq}`);
      lastSeq = data.seq;
      switch (data.type) {
        case "reasoning":
        case "text":
          if (rec.firstUs === undefined) rec.firstUs = recvUs;
          parts[data.type] += data.text;
          readers[data.type].feed(data.text, recvUs);
          break;
        case "complete":
          rec.completeUs = recvUs;
          socket.disconnect(); // the extension closes a chat's socket on its "complete"
          completeResolve();
          break;
        case "error":
          problem(`error event ${data.code} ${data.message}`);
          break;
        default: // thinking, completion: nothing to check beyond seq and task
      }
    });
    await Promise.race([connected, completed]);
    if (rec.error) throw new Error(rec.error);

    rec.chatUs = nowUs();
    const body = JSON.stringify({ messages: [{ role: "user", content: streamSpec(shape, rec.rid) }] });
    const reply = await post(baseUrl + "/api/method/ai_assistant.api.chat_completion",
      { "Content-Type": "application/json", Cookie: cookieHeader }, body);
    rec.replyUs = nowUs();
    await completed;
    rec.doneUs = nowUs();
    if (rec.error) throw new Error(rec.error);

    let message;
    try {
      message = JSON.parse(reply.text).message;
    } catch {
      message = undefined;
    }
    if (reply.status !== 200 || !message || message.success !== true) {
      throw new Error(`chat reply ${reply.status} ${reply.text.slice(0, 120)}`);
    }
    const check = readers.reasoning.finish() ?? readers.text.finish()
      ?? checkText(parts.reasoning, 1, r) ?? checkText(parts.text, r + 1, shape.chunks);
    if (check) throw new Error("events: " + check);
    if (message.content !== parts.text || (message.reasoning ?? "") !== parts.reasoning) {
      throw new Error("the reply's content/reasoning differ from what the events rebuilt");
    }
    if (message.task_id !== undefined && message.task_id !== taskId) {
      throw new Error(`reply task ${message.task_id}, events task ${taskId}`);
    }
  } catch (e) {
    if (!rec.error) rec.error = e.message;
  } finally {
    clearTimeout(timer);
    if (socket) {
      socket.io.reconnection(false);
      socket.disconnect();
    }
  }
}
