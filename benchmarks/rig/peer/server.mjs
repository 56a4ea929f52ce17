// The Node server a team would otherwise pick for this job, measured beside ai-progress on the same
// rig: socket.io 4.8 (connection state recovery on, as ai-progress replays a window) and the Vercel
// AI SDK 5 (`streamText` with @ai-sdk/deepseek pointed at the mock, its fullStream's reasoning and
// text deltas). It speaks what the Oropendola extension speaks, minimally:
//   POST /api/method/login (form usr, pwd) → {"message":"Logged In",...} + sid, user_id, full_name cookies
//   Socket.IO on /socket.io: the user is found by auth.sid (or the sid cookie), sockets join the user's room
//   POST /api/method/ai_assistant.api.chat_completion → ai_progress events to all of the user's
//     sockets (thinking, reasoning/text deltas, completion, complete), reply {message:{content, reasoning,...}}
// Usage: node server.mjs <mock base url> <users file: "u1:pw,u2:pw">; prints {"port":N} (127.0.0.1, port 0).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createDeepSeek } from "@ai-sdk/deepseek";
import { streamText } from "ai";
import { Server } from "socket.io";

const [mockUrl, usersFile] = process.argv.slice(2);
const passwords = new Map(readFileSync(usersFile, "utf8").trim().split(",").map((e) => e.split(":")));
const sessions = new Map(); // sid → user
const deepseek = createDeepSeek({ baseURL: mockUrl, apiKey: "rig" });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function cookieValue(header, name) {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

function json(res, status, value, headers) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(value));
}

async function login(req, res) {
  const form = new URLSearchParams(await readBody(req));
  const user = form.get("usr");
  if (!user || passwords.get(user) !== form.get("pwd")) return json(res, 401, { message: "Invalid login credentials" });
  const sid = randomBytes(16).toString("hex");
  sessions.set(sid, user);
  json(res, 200, { message: "Logged In", home_page: "/app", full_name: user }, {
    "Set-Cookie": [`sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, `user_id=${user}; Path=/`,
      `full_name=${user}; Path=/`, "system_user=yes; Path=/"],
  });
}

async function chat(req, res) {
  const user = sessions.get(cookieValue(req.headers.cookie, "sid"));
  if (!user) return json(res, 401, { message: "Not logged in" });
  const body = JSON.parse(await readBody(req));
  const taskId = randomBytes(8).toString("hex");
  const room = io.to("user:" + user);
  let seq = 0;
  const emit = (event) => room.emit("ai_progress",
    { ...event, task_id: taskId, seq: ++seq, timestamp: new Date().toISOString() });
  emit({ type: "thinking", message: "Thinking…" });
  let text = "";
  let reasoning = "";
  let usage;
  let finishReason;
  const started = Date.now();
  try {
    const result = streamText({ model: deepseek(body.model ?? "deepseek-reasoner"), messages: body.messages });
    for await (const part of result.fullStream) {
      if (part.type === "reasoning-delta") {
        reasoning += part.text;
        emit({ type: "reasoning", text: part.text, partial: true });
      } else if (part.type === "text-delta") {
        text += part.text;
        emit({ type: "text", text: part.text, partial: true });
      } else if (part.type === "finish") {
        usage = part.totalUsage;
        finishReason = part.finishReason;
      } else if (part.type === "error") {
        throw part.error;
      }
    }
  } catch (e) {
    emit({ type: "error", message: String(e?.message ?? e), error: "upstream_error", text, reasoning });
    return json(res, 200, { message: { success: false, content: text, reasoning, error: String(e?.message ?? e) } });
  }
  const usageOut = { input_tokens: usage?.inputTokens, output_tokens: usage?.outputTokens,
    total_tokens: usage?.totalTokens, reasoning_tokens: usage?.reasoningTokens };
  emit({ type: "completion", text, reasoning, partial: false, usage: usageOut, model: "deepseek-reasoner",
    finish_reason: finishReason, duration_ms: Date.now() - started });
  emit({ type: "complete", message: "Task finished successfully" });
  json(res, 200, { message: { success: true, role: "assistant", content: text, response: text, reasoning,
    usage: usageOut, model: "deepseek-reasoner", task_id: taskId, finish_reason: finishReason } });
}

const httpServer = http.createServer((req, res) => {
  const route = req.method === "POST" && { "/api/method/login": login,
    "/api/method/ai_assistant.api.chat_completion": chat }[req.url];
  if (!route) return json(res, 404, { message: "Not found" });
  route(req, res).catch((e) => json(res, 500, { message: String(e?.message ?? e) }));
});
const io = new Server(httpServer, {
  path: "/socket.io", serveClient: false,
  connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
});
io.use((socket, next) => {
  const user = sessions.get(socket.handshake.auth?.sid ?? cookieValue(socket.handshake.headers.cookie, "sid"));
  if (!user) return next(new Error("Unauthorized"));
  socket.data.user = user;
  next();
});
io.on("connection", (socket) => {
  if (!socket.recovered) socket.join("user:" + socket.data.user);
});
httpServer.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: httpServer.address().port }) + "\n"));
process.on("SIGTERM", () => process.exit(0));
