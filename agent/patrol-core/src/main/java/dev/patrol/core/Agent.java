package dev.patrol.core;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.core.action.Remediation;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.ConfigSummary;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.config.SecretMasking;
import dev.patrol.core.config.SeriesDefinition;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.job.JobAudit;
import dev.patrol.core.job.JobListener;
import dev.patrol.core.job.JobRunner;
import dev.patrol.core.job.JobScheduler;
import dev.patrol.core.logging.LogLevels;
import dev.patrol.core.logging.RepeatedMessageFilter;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.CheckCollector;
import dev.patrol.core.metrics.JobCollector;
import dev.patrol.core.metrics.StateCollector;
import dev.patrol.core.schedule.CheckScheduler;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.transition.StateTracker;
import dev.patrol.core.transition.TransitionHook;
import dev.patrol.core.web.JobTrigger;
import dev.patrol.core.web.ReloadResult;
import dev.patrol.core.web.WebServer;
import dev.patrol.transport.http.HttpClientPool;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: configuration, engine, scheduler, metrics and web endpoint wired together. {@link #reload}
 * swaps in a new configuration, or keeps the running one when the new one is invalid.
 *
 * <p>Thread-safe: reloads are serialized; the settings in force are published through a volatile field.
 */
public final class Agent implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Agent.class);

    private final ConfigSource source;
    private final Clock clock;
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final ResultStore store = new ResultStore();
    private final HttpClientPool http = new HttpClientPool();
    private final SshMetrics sshMetrics = new SshMetrics();
    private final SshSessionPool ssh;
    private final AgentMetrics metrics;
    private final CheckEngine engine;
    private final CheckScheduler scheduler;
    private final JobCollector jobMetrics;
    private final JobScheduler jobs;
    private final WebServer web;
    private final StateTracker tracker = new StateTracker();
    private final TransitionHook transitions;
    private final Remediation remediation;
    private volatile PatrolSettings settings;
    private volatile boolean ready;
    private volatile AuditLog jobAudit;

    private Agent(ConfigSource source, PatrolSettings initial, Clock clock) {
        this.source = source;
        this.clock = clock;
        this.settings = initial;
        // The in-flight gauge reads the engine, which is built after the metrics it reports into.
        this.metrics = new AgentMetrics(this::inFlightRuns, this::stalledSeconds);
        this.ssh = new SshSessionPool(initial.ssh(), sshMetrics);
        ssh.limitHandshakes(initial.limits().maxSshHandshakes());
        this.engine = new CheckEngine(initial.limits(), http, ssh, store, metrics, clock);
        this.scheduler = new CheckScheduler(engine, store, metrics, clock);
        this.jobMetrics = new JobCollector(clock);
        this.jobs = new JobScheduler(
                new JobRunner(ssh, clock), JobListener.all(jobMetrics, new JobAudit(() -> jobAudit, clock)));
        registry.register(jobMetrics);
        this.transitions = new TransitionHook(tracker, store, scheduler::retime);
        engine.observe(transitions);
        this.remediation = new Remediation(initial, tracker, transitions, ssh, this::recheck, store, clock);
        remediation.register(registry);
        metrics.register(registry);
        registry.register(new StateCollector(store, () -> settings.metricsDetail()));
        engine.rateLimitMetrics().register(registry);
        registry.register(sshMetrics);
        registry.register(RepeatedMessageFilter.suppressedCounter());
        DefaultExports.register(registry);
        // Last, so that it knows every other family's names and no check's sample can take one of them.
        registry.register(
                new CheckCollector(store, metrics, CheckCollector.namesIn(registry), () -> settings.metricsDetail()));
        try {
            this.web = new WebServer(
                    initial.web(), registry, store, () -> ready, this::reload, this::effectiveConfig, this::runJob);
        } catch (RuntimeException e) {
            // TLS files can turn bad between validation and here; don't leave the pools' threads behind.
            engine.close();
            ssh.close();
            http.close();
            throw e;
        }
    }

    /**
     * Loads the configuration, starts the endpoint and the schedule.
     *
     * @throws InvalidSettingsException when the configuration is invalid; nothing is started then
     * @throws UncheckedIOException when the web endpoint cannot listen
     */
    public static Agent start(ConfigSource source) {
        return start(source, Clock.systemUTC());
    }

    static Agent start(ConfigSource source, Clock clock) {
        PatrolSettings initial = source.load();
        LogLevels.apply(initial.logging());
        Agent agent = new Agent(source, initial, clock);
        try {
            agent.web.start();
            agent.logNotes(initial);
            agent.remediation.start();
            agent.apply(initial);
            agent.metrics.configLoaded(true, true, clock.millis());
            agent.scheduler.start();
            agent.jobs.start();
            agent.ready = true;
        } catch (IOException e) {
            agent.stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            agent.stop();
            throw e;
        }
        logger.atInfo()
                .addKeyValue("checks", initial.checks().size())
                .addKeyValue("targets", initial.targets().size())
                .addKeyValue("listen", initial.web().host() + ":" + agent.web.port())
                .log("Patrol started");
        return agent;
    }

    /**
     * Re-reads the configuration; on any problem, expected (an invalid file) or not (a fault while loading or
     * applying it), the running configuration stays in force, the failure is counted and logged, and
     * {@code patrol_config_last_reload_successful} drops to 0.
     */
    public synchronized ReloadResult reload() {
        PatrolSettings next;
        try {
            next = source.load();
        } catch (InvalidSettingsException e) {
            List<String> lines =
                    e.problems().stream().map(SettingsProblem::format).toList();
            return rejected(lines);
        } catch (RuntimeException e) {
            logger.error("Reload failed while loading the configuration", e);
            return rejected(List.of(settings.source() + ": the configuration could not be loaded: " + e));
        }
        PatrolSettings previous = settings;
        try {
            LogLevels.apply(next.logging());
            if (!web.apply(next.web())) {
                logger.atWarn()
                        .log("Changes to patrol.web other than tls files, client-auth and basic-auth-users take"
                                + " effect after a restart");
            }
            logNotes(next);
            apply(next);
        } catch (RuntimeException e) {
            logger.error("Reload failed while applying the configuration, restoring the previous one", e);
            restore(previous);
            return rejected(List.of(next.source() + ": the configuration could not be applied: " + e));
        }
        settings = next;
        metrics.configLoaded(true, false, clock.millis());
        String message = "Reloaded: " + ConfigSummary.count(next.checks().size(), "check") + ", "
                + ConfigSummary.count(next.targets().size(), "target");
        logger.atInfo().log(message);
        return ReloadResult.succeeded(message);
    }

    private ReloadResult rejected(List<String> lines) {
        metrics.configLoaded(false, false, clock.millis());
        logger.atError()
                .addKeyValue("problems", lines.size())
                .log("Reload rejected, the running configuration stays in force:\n  {}", String.join("\n  ", lines));
        return ReloadResult.failed(lines);
    }

    /** Puts the settings in force back after a failed apply, as far as they go back. */
    private void restore(PatrolSettings previous) {
        try {
            LogLevels.apply(previous.logging());
            web.apply(previous.web());
            apply(previous);
        } catch (RuntimeException e) {
            logger.error("Restoring the previous configuration after a failed reload failed too", e);
        }
    }

    private void apply(PatrolSettings next) {
        engine.updateStateDir(next.stateDir());
        engine.updateLimits(next.limits());
        engine.updateRateLimits(next.rateLimits());
        ssh.update(next.ssh());
        ssh.limitHandshakes(next.limits().maxSshHandshakes());
        List<SeriesDefinition> series = SeriesDefinition.of(next.checks().values());
        // The store first: the scheduler's fires run what the store holds.
        Set<SeriesKey> live = store.apply(series, tracker::get);
        tracker.retainOnly(live);
        scheduler.apply(series);
        jobMetrics.retain(next.jobs());
        jobAudit = next.auditLog();
        jobs.apply(next.jobs());
        engine.rateLimitMetrics().retainThrottled((check, target) -> live.contains(new SeriesKey(check, target)));
        remediation.apply(next);
    }

    /** {@code POST /-/jobs/<name>/run}: starts the job now, as its schedule would. */
    private JobTrigger.Outcome runJob(String name) {
        if (!jobs.has(name)) {
            return JobTrigger.Outcome.UNKNOWN;
        }
        return jobs.fire(name) ? JobTrigger.Outcome.STARTED : JobTrigger.Outcome.RUNNING;
    }

    /** An action's re-check: the check runs again now, and its result is recorded like a scheduled run's. */
    private CompletableFuture<RunRecord> recheck(CheckSettings check, Target target) {
        return engine.run(check, target).thenApply(record -> {
            SeriesKey key = new SeriesKey(check.name(), target.name());
            store.get(key).ifPresent(state -> state.record(record));
            transitions.recorded(check, target, record);
            return record;
        });
    }

    private double stalledSeconds() {
        return engine == null ? 0 : engine.stalledSeconds();
    }

    private int inFlightRuns() {
        return engine == null ? 0 : engine.inFlight();
    }

    private void logNotes(PatrolSettings loaded) {
        ConfigSummary.warnings(loaded).forEach(warning -> logger.atWarn().log(warning));
        ConfigSummary.notes(loaded).forEach(note -> logger.atWarn().log(note));
    }

    private String effectiveConfig() {
        return SecretMasking.render(settings.config());
    }

    public PatrolSettings settings() {
        return settings;
    }

    /** This and {@link #registry()}: for tests, which read results and samples here, not from the page or a scrape. */
    public ResultStore store() {
        return store;
    }

    public CollectorRegistry registry() {
        return registry;
    }

    public Remediation remediation() {
        return remediation;
    }

    /** The port the web endpoint is bound to. */
    public int port() {
        return web.port();
    }

    @Override
    public void close() {
        stop();
        logger.atInfo().log("Patrol stopped");
    }

    /** Stops everything; without the log line, which would follow a failed start that never said "Patrol started". */
    private void stop() {
        ready = false;
        scheduler.close();
        jobs.close();
        engine.close();
        remediation.close();
        web.close();
        ssh.close();
        http.close();
    }
}
