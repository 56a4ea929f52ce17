// A do-nothing TCP relay in front of the mock, pinned to the server's core: what crossing to that
// core and back costs with no server work at all. The floor under every "added over direct" figure,
// which on a virtual machine is mostly waking an idle vCPU (see benchmarks/README.md, "Black-box rig").
// Usage: node relay.mjs <mock port>; prints {"port":N} once listening.
import net from "node:net";

const target = Number(process.argv[2]);
const server = net.createServer((client) => {
  client.setNoDelay(true);
  const upstream = net.connect({ host: "127.0.0.1", port: target, noDelay: true });
  client.pipe(upstream);
  upstream.pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
  upstream.on("close", close);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n"));
