// Connects to an ai-progress server exactly like the Oropendola VS Code extension (docs/CLIENT-PROTOCOL.md, "The client's flow")
// and prints one JSON line per thing that happens:
//   {"connect":{"recovered":false}}            after each successful CONNECT
//   {"event":"ai_progress","data":{...},"offset":"12"}   for every server event, in arrival order
//   {"disconnect":"<reason>"}, {"connect_error":"<message>"}
// Usage: node sio-client.mjs <baseUrl> <sid> <cookieHeader> <completeCount> <timeoutMs> [transports]
// transports: "websocket,polling" (default: the extension's options), "default" (the library's own:
// long-polling first, then the upgrade to WebSocket) or "polling" (long-polling only).
// Exits 0 after <completeCount> "complete" events (0 = run until stdin says "quit"),
// 2 on connect_error, 3 on timeout. A line "drop" on stdin closes the transport without a
// Socket.IO DISCONNECT, so the client reconnects and asks for connection state recovery.
import { io } from "socket.io-client";
import readline from "node:readline";

const [baseUrl, sid, cookie, completeCountArg, timeoutArg, transportsArg] = process.argv.slice(2);
if (!baseUrl) {
  console.error("usage: node sio-client.mjs <baseUrl> <sid> <cookieHeader> <completeCount> <timeoutMs>");
  process.exit(64);
}
const completeCount = Number(completeCountArg ?? "1");
const timeoutMs = Number(timeoutArg ?? "20000");

const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

const extraHeaders = cookie ? { Cookie: cookie } : {};
const transports = (transportsArg ?? "websocket,polling") === "default" ? undefined
  : (transportsArg ?? "websocket,polling").split(",");
const socket = io(baseUrl, {
  path: "/socket.io",
  ...(transports ? { transports } : {}),
  auth: { sid },
  extraHeaders,
  reconnection: true,
  reconnectionAttempts: 5,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  timeout: 20000,
});

let completes = 0;
const finish = (code) => {
  socket.disconnect();
  // leave once everything printed has reached the pipe: a write's callback runs after the
  // writes before it (a timer is not enough for a result of several megabytes)
  process.stdout.write("", () => process.exit(code));
};

const timer = setTimeout(() => {
  print({ timeout: timeoutMs });
  finish(3);
}, timeoutMs);

socket.on("connect", () => print({ connect: { recovered: socket.recovered === true, transport: socket.io.engine.transport.name } }));
socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => print({ upgrade: t.name })));
socket.on("disconnect", (reason) => print({ disconnect: reason }));
socket.on("connect_error", (err) => {
  print({ connect_error: err.message });
  clearTimeout(timer);
  finish(2);
});
socket.onAny((name, data, offset) => {
  print(offset === undefined ? { event: name, data } : { event: name, data, offset });
  if (name === "ai_progress" && data && data.type === "complete") {
    completes += 1;
    if (completeCount > 0 && completes >= completeCount) {
      clearTimeout(timer);
      finish(0);
    }
  }
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "drop") {
    socket.io.engine.close();
  } else if (command === "quit") {
    clearTimeout(timer);
    finish(0);
  }
});
