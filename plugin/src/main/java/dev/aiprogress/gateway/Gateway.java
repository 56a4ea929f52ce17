package dev.aiprogress.gateway;

import dev.aiprogress.metrics.PluginMetrics;
import dev.aiprogress.realtime.EventPublisher;
import dev.aiprogress.stream.TaskScheduler;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Starts generations: picks the providers a request may use, validates the model and task id,
 * enforces the per-user limit, and hands each task to a {@link Generation}. Never parks a thread:
 * every wait (retry backoff, first-token timeout) is a {@link TaskScheduler} task.
 *
 * <p>Routing: a request naming a provider uses only that one (with retries). Otherwise the
 * configured order is tried: a provider that fails before its first token is retried when the
 * failure is retryable, then the next provider is tried. After the first token a failure ends the
 * task. Idle timeouts of a running stream are the provider's ({@code ProviderSettings.idleTimeout}).
 */
public final class Gateway implements AutoCloseable {

    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final String SHUTDOWN_MESSAGE = "The task was cancelled because the server is shutting down.";

    private static final SecureRandom IDS = new SecureRandom();

    private final GatewayOptions options;
    private final Map<String, ConfiguredProvider> providers = new LinkedHashMap<>();
    private final List<ConfiguredProvider> order = new ArrayList<>();
    private final TaskScheduler scheduler;
    private final EventPublisher publisher;
    private final Backoff backoff;
    private final Tasks tasks;
    private final PluginMetrics metrics;
    private volatile boolean closed;

    public Gateway(GatewayOptions options, List<ConfiguredProvider> providers, TaskScheduler scheduler,
                   EventPublisher publisher) {
        this(options, providers, scheduler, publisher, PluginMetrics.NONE);
    }

    /** @param metrics told about every generation, retry and fallback; must not block */
    public Gateway(GatewayOptions options, List<ConfiguredProvider> providers, TaskScheduler scheduler,
                   EventPublisher publisher, PluginMetrics metrics) {
        this(options, providers, scheduler, publisher, () -> ThreadLocalRandom.current().nextDouble(), metrics);
    }

    Gateway(GatewayOptions options, List<ConfiguredProvider> providers, TaskScheduler scheduler,
            EventPublisher publisher, DoubleSupplier random) {
        this(options, providers, scheduler, publisher, random, PluginMetrics.NONE);
    }

    /** @param random uniform in [0, 1), for the backoff jitter */
    Gateway(GatewayOptions options, List<ConfiguredProvider> providers, TaskScheduler scheduler,
            EventPublisher publisher, DoubleSupplier random, PluginMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        for (ConfiguredProvider p : providers) {
            if (this.providers.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("providers: '" + p.name() + "' is configured twice");
            }
        }
        for (String name : options.providerOrder()) {
            ConfiguredProvider p = this.providers.get(name);
            if (p == null) {
                throw new IllegalArgumentException("providers: '" + name + "' is listed but not configured");
            }
            order.add(p);
        }
        this.backoff = new Backoff(options.retry(), random);
        this.tasks = new Tasks(options.maxLivePerUser(), options.finishedRetention(), options.finishedTasksKept(),
                scheduler);
    }

    /**
     * Starts a generation, or refuses with a reason (and emits nothing). On success the first
     * events may reach the observer before this returns.
     */
    public StartResult start(StartRequest start, GenerationObserver observer) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(observer, "observer");
        if (closed) {
            return new StartResult.Rejected(StartResult.Reason.SHUTTING_DOWN, "The server is shutting down.");
        }
        List<ConfiguredProvider> candidates;
        if (start.provider().isPresent()) {
            ConfiguredProvider named = providers.get(start.provider().get());
            if (named == null) {
                return new StartResult.Rejected(StartResult.Reason.UNKNOWN_PROVIDER, "Unknown provider '"
                        + start.provider().get() + "'. Known providers: " + String.join(", ", providers.keySet()) + ".");
            }
            candidates = List.of(named);
        } else {
            candidates = order;
        }
        String model = start.request().model();
        if (!model.isBlank()) {
            candidates = candidates.stream().filter(p -> p.allows(model)).toList();
            if (candidates.isEmpty()) {
                return new StartResult.Rejected(StartResult.Reason.MODEL_NOT_ALLOWED, start.provider().isPresent()
                        ? "Model '" + model + "' is not allowed for provider '" + start.provider().get() + "'."
                        : "Model '" + model + "' is not allowed by any configured provider.");
            }
        }
        Optional<String> givenId = start.taskId();
        if (givenId.isPresent() && !TASK_ID.matcher(givenId.get()).matches()) {
            return new StartResult.Rejected(StartResult.Reason.INVALID_TASK_ID,
                    "task_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }
        String id = givenId.orElseGet(Gateway::newTaskId);
        Generation generation = new Generation(id, start.userId(), start.request(), new Routing(candidates, backoff),
                options, scheduler, publisher, observer, tasks::finished, metrics);
        Optional<StartResult.Rejected> refused = tasks.register(generation);
        if (refused.isPresent()) {
            return refused.get();
        }
        metrics.generationStarted();
        generation.begin();
        return new StartResult.Started(generation);
    }

    /** The live and recently finished tasks. */
    public Tasks tasks() {
        return tasks;
    }

    /** Owner-only cancel; see {@link Tasks#cancel}. */
    public CancelOutcome cancel(String taskId, String userId) {
        return tasks.cancel(taskId, userId);
    }

    /** Configured provider names, in the order they were given. */
    public List<String> providerNames() {
        return List.copyOf(providers.keySet());
    }

    /** Refuses new starts and cancels every live generation (undeploy). Closing providers is their owner's job. */
    @Override
    public void close() {
        closed = true;
        for (Generation g : tasks.liveGenerations()) {
            g.cancel(SHUTDOWN_MESSAGE);
        }
    }

    /** 16 URL-safe random characters (96 bits). */
    static String newTaskId() {
        byte[] bytes = new byte[12];
        IDS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
