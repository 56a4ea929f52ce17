package dev.aiprogress.gateway;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.testsupport.ManualScheduler;
import dev.aiprogress.testsupport.ReplayingProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A gateway over two replaying providers ({@code primary}, {@code backup}) on a manual clock. */
final class GatewayHarness {

    /** A distinctive first-token timeout, so its timers are easy to tell from retry delays. */
    static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(45);

    record Published(String userId, ProgressEvent event) {
    }

    /** Records what a web layer would see. */
    static final class RecordingObserver implements GenerationObserver {
        final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<GenerationResult> results = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(ProgressEvent event) {
            events.add(event);
        }

        @Override
        public void onFinished(GenerationResult result) {
            results.add(result);
        }

        List<EventType> types() {
            synchronized (events) {
                return events.stream().map(ProgressEvent::type).toList();
            }
        }

        List<Long> seqs() {
            synchronized (events) {
                return events.stream().map(ProgressEvent::seq).toList();
            }
        }

        ProgressEvent last() {
            synchronized (events) {
                return events.get(events.size() - 1);
            }
        }

        GenerationResult onlyResult() {
            if (results.size() != 1) {
                throw new AssertionError("expected exactly one result, got " + results.size());
            }
            return results.get(0);
        }
    }

    final ManualScheduler scheduler = new ManualScheduler();
    final ReplayingProvider primary = new ReplayingProvider("primary", "p-model");
    final ReplayingProvider backup = new ReplayingProvider("backup", "b-model");
    final List<Published> published = Collections.synchronizedList(new ArrayList<>());
    ProviderSettings primarySettings = settings("primary", "p-model");
    ProviderSettings backupSettings = settings("backup", "b-model");
    GatewayOptions options = GatewayOptions.defaults(List.of("primary", "backup"))
            .withClock(scheduler.clock())
            .withFirstTokenTimeout(FIRST_TOKEN_TIMEOUT)
            .withRetry(GatewayOptions.Retry.NONE);
    double random = 0;
    private Gateway gateway;

    static ProviderSettings settings(String name, String model) {
        return ProviderSettings.of(name, "openai", URI.create("http://127.0.0.1:9"), model);
    }

    static ChatRequest request(String model) {
        return ChatRequest.of(model, List.of(ChatMessage.of(ChatMessage.Role.USER, "Hi")));
    }

    Gateway gateway() {
        if (gateway == null) {
            gateway = new Gateway(options, List.of(new ConfiguredProvider(primary, primarySettings),
                    new ConfiguredProvider(backup, backupSettings)), scheduler,
                    (user, event) -> published.add(new Published(user, event)), () -> random);
        }
        return gateway;
    }

    Generation start(String user, String taskId, RecordingObserver observer) {
        StartResult result = gateway().start(new StartRequest(user, Optional.empty(), request(""),
                Optional.of(taskId)), observer);
        if (result instanceof StartResult.Started started) {
            return started.generation();
        }
        throw new AssertionError("not started: " + result);
    }

    /** Delays scheduled other than first-token timers: retry backoffs. */
    List<Duration> retryDelays() {
        return scheduler.scheduled().stream().map(ManualScheduler.Scheduled::delay)
                .filter(d -> !d.equals(FIRST_TOKEN_TIMEOUT)).toList();
    }

    /** A timestamp of the manual clock, {@code millis} after its start. */
    static String at(long millis) {
        return dev.aiprogress.event.EventJson.timestamp(
                java.time.Instant.parse("2026-11-24T10:15:30.000Z").plusMillis(millis));
    }
}
