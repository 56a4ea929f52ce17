package dev.aiprogress.benchmarks.load;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load harness's phases ({@link LoadHarness}): streams one at a time or open loop on one of the
 * three paths, each stream checked by its {@link StreamReceiver}s, the phase measured by a {@link Meter}.
 */
final class Phases {
    private final HarnessOptions o;
    private final PrintStream out;
    private final HttpClient http;
    private final PacedMock mock;
    private final ServerThreads serverThreads;
    private final List<String> harnessErrors;

    Phases(HarnessOptions o, PrintStream out, HttpClient http, PacedMock mock, ServerThreads serverThreads,
            List<String> harnessErrors) {
        this.o = o;
        this.out = out;
        this.http = http;
        this.mock = mock;
        this.serverThreads = serverThreads;
        this.harnessErrors = harnessErrors;
    }

    PhaseResult runOneAtATime(String name, Path3 path, Fleet fleet, int count) throws Exception {
        PhaseResult r = new PhaseResult(name, path);
        Meter m = new Meter(serverThreads, mock);
        List<StreamReceiver> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long intended = System.nanoTime();
            CompletableFuture<List<StreamReceiver>> f = startStream(path, fleet, "one-" + name.hashCode() + "-" + i, intended, r);
            all.addAll(await(f, o.streamNanos() + TimeUnit.SECONDS.toNanos(30), name));
            r.streams++;
        }
        finish(r, m, all);
        return r;
    }

    /** Open loop: starts at rate = concurrency / stream length for --duration, latency from the intended start. */
    PhaseResult runLoad(String name, Path3 path, Fleet fleet, int concurrency) throws Exception {
        PhaseResult r = new PhaseResult(name, path);
        long interval = Math.max(1, o.streamNanos() / concurrency);
        int total = (int) Math.max(concurrency, Math.round(o.durationSec * 1e9 / interval));
        List<CompletableFuture<List<StreamReceiver>>> futures = new ArrayList<>(total);
        Meter m = new Meter(serverThreads, mock);
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        long behind = 0;
        for (int i = 0; i < total; i++) {
            long intended = t0 + i * interval;
            for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
                LockSupport.parkNanos(intended - now);
            }
            behind = Math.max(behind, System.nanoTime() - intended);
            futures.add(startStream(path, fleet, "l" + Math.abs(name.hashCode()) + "-" + i, intended, r));
            r.streams++;
        }
        List<StreamReceiver> all = new ArrayList<>();
        long deadline = System.nanoTime() + o.streamNanos() + TimeUnit.SECONDS.toNanos(60);
        for (CompletableFuture<List<StreamReceiver>> f : futures) {
            all.addAll(await(f, Math.max(1, deadline - System.nanoTime()), name));
        }
        finish(r, m, all);
        if (behind > interval * 2) {
            out.printf(Locale.ROOT, "# note: %s: the scheduler fell %.1f ms behind its start times (latency still counted from the intended start)%n",
                    name, behind / 1e6);
        }
        return r;
    }

    private List<StreamReceiver> await(CompletableFuture<List<StreamReceiver>> f, long nanos, String phase) {
        try {
            return f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            harnessErrors.add(phase + ": a stream did not finish in time (" + e + ")");
            return List.of();
        }
    }

    private void finish(PhaseResult r, Meter m, List<StreamReceiver> all) {
        m.stop(r);
        long pacing = o.pacingMicros * 1000;
        for (StreamReceiver rec : all) {
            r.frames += rec.frames;
            r.chunks += rec.lastSeq;
            r.maxGapNanos = Math.max(r.maxGapNanos, rec.maxGapNanos);
            if (rec.firstStampNanos != 0) {
                r.toUpstream.recordValue(Math.max(0, rec.firstStampNanos - rec.intendedStartNanos));
            }
            if (rec.maxGapNanos > 2 * pacing) {
                r.gapsOverTwicePacing++;
            }
            if (rec.ok()) {
                r.readersOk++;
            } else {
                r.errors.add(rec.error == null ? "unfinished" : rec.error);
            }
        }
        r.readers = r.streams * (r.path == Path3.WS ? o.socketsPerUser : 1);
        if (all.size() != r.readers) {
            r.errors.add((r.readers - all.size()) + " readers never finished");
        }
        for (String e : r.errors.subList(0, Math.min(5, r.errors.size()))) {
            harnessErrors.add(r.name + ": " + e);
        }
        if (r.errors.size() > 5) {
            harnessErrors.add(r.name + ": ... " + (r.errors.size() - 5) + " more");
        }
        out.printf(Locale.ROOT, "# phase %-30s streams=%d readers ok=%d/%d chunks=%d frames=%d window=%.1fs chunk p50=%s p99=%s max=%s ttft p50=%s to-upstream p50=%s maxgap=%s mock-conns=%d load=%s%n",
                r.name, r.streams, r.readersOk, r.readers, r.chunks, r.frames, r.windowSec,
                Report.ms(r.chunkLatency.getValueAtPercentile(50)), Report.ms(r.chunkLatency.getValueAtPercentile(99)),
                Report.ms(r.chunkLatency.getMaxValue()), Report.ms(r.ttft.getValueAtPercentile(50)),
                Report.ms(r.toUpstream.getValueAtPercentile(50)), Report.ms(r.maxGapNanos), r.upstreamConnections, Report.loadAverage());
    }

    // ---------------------------------------------------------------- one stream

    /** Starts one stream on the given path; completes when every reader has seen its end. */
    private CompletableFuture<List<StreamReceiver>> startStream(Path3 path, Fleet fleet, String taskId,
            long intended, PhaseResult r) {
        String spec = PacedMock.spec(o.chunks, o.pacingMicros, o.chunkChars, o.reasoningPct, o.ttftMicros);
        List<StreamReceiver> receivers = new ArrayList<>();
        Object lock = r;
        if (path == Path3.DIRECT) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, r.chunkLatency, r.ttft, lock);
            receivers.add(rec);
            HttpRequest req = DirectClient.request(o.dialect, mock.port(), spec);
            return http.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(DirectClient.lines(o.dialect, rec)))
                    .handle((resp, e) -> {
                        if (e != null) {
                            rec.fail("direct request failed: " + e);
                        } else if (!rec.finished) {
                            rec.onEnd();
                        }
                        return receivers;
                    });
        }
        int user = fleet.nextUser();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + spec + "\"}],\"provider\":\"mock\",\"model\":\"m\","
                + "\"task_id\":\"" + taskId + "\"}";
        HttpRequest.Builder rb = HttpRequest.newBuilder(fleet.server.uri("/api/method/ai_assistant.api.chat_completion"))
                .header("Content-Type", "application/json").header("Cookie", "sid=" + fleet.sids[user])
                .timeout(Duration.ofNanos(o.streamNanos() + TimeUnit.SECONDS.toNanos(60)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path == Path3.SSE) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, r.chunkLatency, r.ttft, lock);
            receivers.add(rec);
            return http.sendAsync(rb.header("Accept", "text/event-stream").build(),
                            HttpResponse.BodyHandlers.fromLineSubscriber(new SseLines(rec, false)))
                    .handle((resp, e) -> {
                        if (e != null) {
                            rec.fail("SSE request failed: " + e);
                        } else if (resp.statusCode() != 200) {
                            rec.fail("SSE status " + resp.statusCode());
                        }
                        if (!rec.finished) {
                            rec.onEnd();
                        }
                        return receivers;
                    });
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Fleet.Sock s : fleet.sockets.get(user)) {
            StreamReceiver rec = new StreamReceiver(intended, o.chunks, s.socketIo ? r.sioChunkLatency : r.chunkLatency,
                    s.socketIo ? r.sioTtft : r.ttft, lock);
            receivers.add(rec);
            Fleet.SockTask t = new Fleet.SockTask(rec);
            s.tasks.put(taskId, t);
            waits.add(t.done);
        }
        CompletableFuture<HttpResponse<Void>> reply = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding());
        CompletableFuture<Void> all = CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
        return reply.handle((resp, e) -> {
            if (e != null || resp.statusCode() != 200) {
                for (StreamReceiver rec : receivers) {
                    rec.fail("chat request " + (e != null ? e.toString() : "status " + resp.statusCode()));
                }
                for (Fleet.Sock s : fleet.sockets.get(user)) {
                    Fleet.SockTask t = s.tasks.remove(taskId);
                    if (t != null) {
                        t.done.complete(null);
                    }
                }
            }
            return null;
        }).thenCombine(all, (a, b) -> receivers);
    }
}
