// The Oropendola VS Code extension's whole flow against an ai-progress server (docs/CLIENT-PROTOCOL.md: "The client's flow", "HTTP endpoints"),
// with the same client library (socket.io-client 4.8.1) and the same options:
//   1. POST /api/method/login (form usr, pwd) and keep every cookie it sets (sid, user_id, ...);
//   2. io(baseUrl, {path:'/socket.io', transports:['websocket','polling'], auth:{sid},
//      extraHeaders:{Cookie}, reconnection..., timeout:20000}) — one socket per chat message;
//   3. once connected, POST /api/method/ai_assistant.api.chat_completion (JSON, with the cookie);
//   4. collect every ai_progress event; a socket is closed on its first "complete" (as the
//      extension does); wait for the HTTP reply too.
//
// Prints one JSON object per line, as things happen (socket = index of the socket):
//   {"login":{"status":200,"cookies":["sid","user_id",...]}}
//   {"socket":0,"connect":{"recovered":false,"transport":"websocket"}}   (the Engine.IO transport in use)
//   {"socket":0,"upgrade":"websocket"}  the session moved from long-polling to WebSocket
//   {"socket":0,"event":"ai_progress","data":{...},"offset":"12"}
//   {"socket":0,"disconnect":"io client disconnect"}     {"socket":0,"connect_error":"Unauthorized"}
//   {"ready":true}                      every socket connected (before the chat is posted)
//   {"reply":{"status":200,"body":{...}}}
//   {"result":{"reply":{...},"sockets":[{"events":[...],"connects":1,"recovered":0,"closed_on_complete":true}]}}
// then exits 0; 2 when login or a connect failed, 3 on timeout, 64 on bad usage.
//
// Options (--name value, or the environment variable in brackets):
//   --base-url [AIP_BASE_URL]  --user [AIP_USER]  --password [AIP_PASSWORD]
//   --message [AIP_MESSAGE] (default "Hello")  --task-id [AIP_TASK_ID]
//   --sockets [AIP_SOCKETS] (default 1)  --provider [AIP_PROVIDER]  --model [AIP_MODEL]
//   --timeout-ms [AIP_TIMEOUT_MS] (default 20000)
//   --transports [AIP_TRANSPORTS]  the client's transports: "websocket,polling" (default: the
//                  extension's options, WebSocket straight away), "default" (the library's default,
//                  long-polling first, then the upgrade to WebSocket), "polling" (long-polling only)
//   --await-go    print {"ready":true}, then wait for a line "go" on stdin before posting the chat
//   --no-chat     only connect and listen (someone else posts); ends on "complete" or "quit"
// Stdin commands: "go" (see --await-go), "drop" (closes every socket's transport without a
// Socket.IO DISCONNECT: the client reconnects and asks for connection state recovery),
// "cancel <task_id>" (emits the server's "cancel" event on socket 0, prints {"socket":0,"cancel_ack":{...}}), "quit".
// A socket stops collecting at "complete" (and closes, like the extension) or at "error" (stays open).
import { io } from "socket.io-client";
import readline from "node:readline";

const options = parseOptions(process.argv.slice(2));
const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

function parseOptions(argv) {
  const flags = new Set(["await-go", "no-chat"]);
  const env = (name) => process.env["AIP_" + name.toUpperCase().replace(/-/g, "_")];
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      usage("unexpected argument " + a);
    }
    const name = a.slice(2);
    if (flags.has(name)) {
      o[name] = true;
    } else if (i + 1 < argv.length) {
      o[name] = argv[++i];
    } else {
      usage("missing value for " + a);
    }
  }
  for (const name of ["base-url", "user", "password", "message", "task-id", "sockets", "provider", "model",
    "timeout-ms", "transports"]) {
    if (o[name] === undefined && env(name) !== undefined) {
      o[name] = env(name);
    }
  }
  if (!o["base-url"] || !o.user || o.password === undefined) {
    usage("--base-url, --user and --password are required");
  }
  return {
    baseUrl: o["base-url"].replace(/\/+$/, ""),
    user: o.user,
    password: o.password,
    message: o.message ?? "Hello",
    taskId: o["task-id"],
    sockets: Number(o.sockets ?? "1"),
    provider: o.provider,
    model: o.model,
    timeoutMs: Number(o["timeout-ms"] ?? "20000"),
    transports: transportsOption(o.transports ?? "websocket,polling"),
    awaitGo: o["await-go"] === true,
    chat: o["no-chat"] !== true,
  };
}

// undefined = the library's own default (polling first, then the upgrade)
function transportsOption(text) {
  if (text === "default") {
    return undefined;
  }
  const list = text.split(",").map((t) => t.trim()).filter(Boolean);
  if (list.length === 0 || list.some((t) => t !== "websocket" && t !== "polling")) {
    usage("--transports: websocket,polling | polling,websocket | polling | websocket | default");
  }
  return list;
}

function usage(problem) {
  console.error(problem + "\nusage: node extension-flow.mjs --base-url URL --user U --password P [--message M]"
    + " [--task-id T] [--sockets N] [--provider P] [--model M] [--timeout-ms MS] [--transports LIST|default]"
    + " [--await-go] [--no-chat]");
  process.exit(64);
}

const finish = (code) => {
  for (const s of sockets) {
    s.socket.disconnect();
  }
  // leave once everything printed has reached the pipe: a write's callback runs after the
  // writes before it (a timer is not enough for a result of several megabytes)
  process.stdout.write("", () => process.exit(code));
};

const timer = setTimeout(() => {
  print({ timeout: options.timeoutMs });
  finish(3);
}, options.timeoutMs);

// 1. log in like the extension: a form POST, then keep every cookie
const login = await fetch(options.baseUrl + "/api/method/login", {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ usr: options.user, pwd: options.password }).toString(),
});
const setCookies = login.headers.getSetCookie();
const cookies = setCookies.map((c) => c.split(";")[0].trim()).filter((c) => c.includes("="));
const cookieHeader = cookies.join("; ");
const sid = cookies.map((c) => c.split("=")).find(([name]) => name === "sid")?.slice(1).join("=");
print({ login: { status: login.status, cookies: cookies.map((c) => c.split("=")[0]) } });
if (login.status !== 200 || !sid) {
  process.exit(2);
}

// 2. the sockets, exactly as the extension opens them
const sockets = [];
let reply;
let replyDone = !options.chat;
let posted = false;
let ready = false;
let pendingAcks = 0;

function printResult() {
  print({
    result: {
      reply,
      sockets: sockets.map((s) => ({
        events: s.events, connects: s.connects, recovered: s.recovered, closed_on_complete: s.completed,
      })),
    },
  });
}

function maybeDone() {
  if (replyDone && pendingAcks === 0 && sockets.every((s) => s.ended)) {
    clearTimeout(timer);
    printResult();
    finish(0);
  }
}

for (let index = 0; index < options.sockets; index++) {
  const socket = io(options.baseUrl, {
    path: "/socket.io",
    ...(options.transports ? { transports: options.transports } : {}),
    auth: { sid },
    extraHeaders: { Cookie: cookieHeader },
    reconnection: true,
    reconnectionAttempts: 5,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: 20000,
  });
  const state = { socket, events: [], connects: 0, recovered: 0, completed: false, ended: false };
  sockets.push(state);
  socket.on("connect", () => {
    state.connects += 1;
    if (socket.recovered === true) {
      state.recovered += 1;
    }
    print({ socket: index, connect: { recovered: socket.recovered === true, transport: socket.io.engine.transport.name } });
    if (!ready && sockets.every((s) => s.connects > 0)) {
      ready = true;
      allConnected();
    }
  });
  socket.on("disconnect", (reason) => print({ socket: index, disconnect: reason }));
  socket.io.on("open", () => socket.io.engine.on("upgrade", (transport) => print({ socket: index, upgrade: transport.name })));
  socket.on("connect_error", (err) => {
    print({ socket: index, connect_error: err.message });
    clearTimeout(timer);
    finish(2);
  });
  socket.on("ai_progress", (data, offset) => {
    print(offset === undefined ? { socket: index, event: "ai_progress", data }
      : { socket: index, event: "ai_progress", data, offset });
    if (state.ended) {
      return;
    }
    state.events.push(data);
    if (data && data.type === "complete") {
      // the extension closes the socket of a chat once its task is complete
      state.completed = true;
      state.ended = true;
      socket.disconnect();
      maybeDone();
    } else if (data && data.type === "error") {
      // a failed task: the extension reports it and keeps the socket; this script stops collecting
      state.ended = true;
      maybeDone();
    }
  });
}

function allConnected() {
  if (!options.awaitGo) {
    postChat();
  }
  print({ ready: true });
}

// 3. the chat request, once the sockets are live
async function postChat() {
  if (posted || !options.chat) {
    return;
  }
  posted = true;
  const body = { messages: [{ role: "user", content: options.message }], conversation_id: "conv-e2e", mode: "chat",
    context: {} };
  if (options.taskId) body.task_id = options.taskId;
  if (options.provider) body.provider = options.provider;
  if (options.model) body.model = options.model;
  try {
    const response = await fetch(options.baseUrl + "/api/method/ai_assistant.api.chat_completion", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookieHeader },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    reply = { status: response.status, body: parsed };
  } catch (e) {
    reply = { status: 0, body: String(e) };
  }
  print({ reply });
  replyDone = true;
  maybeDone();
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "go") {
    postChat();
  } else if (command.startsWith("cancel ")) {
    // not something the extension sends: the server's "cancel" client event, with an ack
    const taskId = command.slice("cancel ".length).trim();
    pendingAcks += 1;
    sockets[0].socket.emit("cancel", { task_id: taskId }, (ack) => {
      print({ socket: 0, cancel_ack: ack });
      pendingAcks -= 1;
      maybeDone();
    });
  } else if (command === "drop") {
    for (const s of sockets) {
      if (!s.completed) {
        s.socket.io.engine.close();
      }
    }
  } else if (command === "quit") {
    clearTimeout(timer);
    printResult();
    finish(0);
  }
});
