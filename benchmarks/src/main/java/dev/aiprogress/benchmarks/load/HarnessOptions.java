package dev.aiprogress.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** The load harness's knobs ({@link LoadHarness}); see {@link #usage()}. */
final class HarnessOptions {
    boolean smoke;
    int streams = 200;            // concurrent streams in the load phase
    int latencyStreams = 30;      // streams of the one-at-a-time phase
    int chunks = 40;
    long pacingMicros = 25_000;   // 40 chunks/s per stream, docs/PERFORMANCE.md T6
    int chunkChars = 24;
    int reasoningPct = 50;
    long ttftMicros = 0;
    int socketsPerUser = 1;
    double durationSec = 15;
    double warmupSec = 5;
    boolean compareBatching = true;
    int slowPct = 10;             // T13: share of all sockets that stop reading, each flooded by its own stream (0 = skip)
    int[] scale = new int[0];
    String tableFile;
    String dialect = DirectClient.OPENAI;
    ClientKind client = ClientKind.BOTH;
    int idleSockets;              // T8 in a server JVM of its own (IdleSocketsRun); 0 = skip
    int windows = 1;              // measured load windows per path (docs/PERFORMANCE.md: median and spread)
    /** --server-config key=value: init params of the servers under test, over the harness's own. */
    final Map<String, String> serverConfig = new LinkedHashMap<>();
    int floodChunks;              // T13 flood per stuck socket; 0 = sized from the send buffer and outbox.max-bytes
    int floodChars = 4096;
    int serverSndbuf;             // SO_SNDBUF of accepted server sockets; 0 = the OS autotunes (up to tcp_wmem max)

    static HarnessOptions parse(String... args) {
        HarnessOptions o = new HarnessOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke":
                    o.smoke = true;
                    o.streams = 20;
                    o.latencyStreams = 5;
                    o.chunks = 20;
                    o.pacingMicros = 10_000;
                    o.durationSec = 3;
                    o.warmupSec = 2;
                    o.socketsPerUser = 2;
                    // a small bound and idle timeout so T13 sees its stuck sockets closed within CI's minute
                    o.serverConfig.putIfAbsent(SlowConsumers.MAX_BYTES_KEY, "65536");
                    o.serverConfig.putIfAbsent("ai-progress.realtime.ping-interval", "1s");
                    o.serverConfig.putIfAbsent("ai-progress.realtime.ping-timeout", "1s");
                    if (o.serverSndbuf == 0) {
                        o.serverSndbuf = 65536;
                    }
                    break;
                case "--streams": o.streams = Integer.parseInt(args[++i]); break;
                case "--latency-streams": o.latencyStreams = Integer.parseInt(args[++i]); break;
                case "--chunks": o.chunks = Integer.parseInt(args[++i]); break;
                case "--pacing-ms": o.pacingMicros = Math.round(Double.parseDouble(args[++i]) * 1000); break;
                case "--chunk-chars": o.chunkChars = Integer.parseInt(args[++i]); break;
                case "--reasoning-pct": o.reasoningPct = Integer.parseInt(args[++i]); break;
                case "--ttft-ms": o.ttftMicros = Math.round(Double.parseDouble(args[++i]) * 1000); break;
                case "--sockets-per-user": o.socketsPerUser = Integer.parseInt(args[++i]); break;
                case "--duration": o.durationSec = Double.parseDouble(args[++i]); break;
                case "--warmup": o.warmupSec = Double.parseDouble(args[++i]); break;
                case "--no-batching-compare": o.compareBatching = false; break;
                case "--slow-pct": o.slowPct = Integer.parseInt(args[++i]); break;
                case "--scale": {
                    String[] parts = args[++i].split(",");
                    o.scale = new int[parts.length];
                    for (int k = 0; k < parts.length; k++) {
                        o.scale[k] = Integer.parseInt(parts[k].trim());
                    }
                    break;
                }
                case "--table-file": o.tableFile = args[++i]; break;
                case "--dialect": o.dialect = DirectClient.checkDialect(args[++i]); break;
                case "--client": o.client = ClientKind.parse(args[++i]); break;
                case "--idle-sockets": o.idleSockets = Integer.parseInt(args[++i]); break;
                case "--windows": o.windows = Math.max(1, Integer.parseInt(args[++i])); break;
                case "--flood-chunks": o.floodChunks = Integer.parseInt(args[++i]); break;
                case "--flood-chars": o.floodChars = Integer.parseInt(args[++i]); break;
                case "--server-sndbuf": o.serverSndbuf = Integer.parseInt(args[++i]); break;
                case "--server-config": {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--server-config wants key=value, got " + kv);
                    }
                    o.serverConfig.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        if (o.pacingMicros <= 0) {
            // open-loop concurrency is derived from the stream's length; a flood has none
            throw new IllegalArgumentException("--pacing-ms must be > 0 for the open-loop phases"
                    + " (T13 floods its own sockets: --flood-chunks, --flood-chars)");
        }
        return o;
    }

    long streamNanos() {
        return (long) chunks * pacingMicros * 1000 + ttftMicros * 1000;
    }

    static String usage() {
        return "LoadHarness [--smoke] [--streams N] [--latency-streams N] [--chunks N] [--pacing-ms MS]"
                + " [--chunk-chars N] [--reasoning-pct P] [--ttft-ms MS] [--sockets-per-user K]"
                + " [--duration S] [--warmup S] [--no-batching-compare] [--slow-pct P] [--scale 1,10,100] [--table-file F]"
                + " [--dialect openai|anthropic] [--client ws|socketio|both] [--idle-sockets N]"
                + " [--windows K] [--server-config key=value]... [--server-sndbuf BYTES] [--flood-chunks N] [--flood-chars N]";
    }
}
