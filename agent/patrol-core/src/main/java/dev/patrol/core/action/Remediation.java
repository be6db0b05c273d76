package dev.patrol.core.action;

import dev.patrol.api.SshSessions;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.transition.StateTracker;
import dev.patrol.core.transition.TransitionHook;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's automation wired together: durable state under {@code state-dir}, the action dispatcher, its
 * metrics and audit log. The agent makes one, {@link #start}s it before the first schedule, {@link #apply}s every
 * loaded configuration and closes it last.
 *
 * <p>State is kept on disk when {@code state-dir} exists, or when actions are configured (it is created then).
 *
 * <p>Thread-safe.
 */
public final class Remediation implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Remediation.class);

    private final GuardBook book = new GuardBook();
    private final Path stateDir;
    private final boolean durable;
    private final DurableState state;
    private final ActionMetrics metrics;
    private final ActionDispatcher dispatcher;
    private volatile PatrolSettings settings;

    public Remediation(
            PatrolSettings initial,
            StateTracker tracker,
            TransitionHook hook,
            SshSessions ssh,
            ActionDispatcher.Rechecker rechecker,
            ResultStore store,
            Clock clock) {
        this.settings = initial;
        this.stateDir = initial.stateDir();
        this.durable = usable(stateDir, !initial.actions().isEmpty());
        this.state = durable ? new DurableState(new StateFile(stateDir), tracker, book, clock) : null;
        this.metrics = new ActionMetrics(() -> settings.actionLimits().killSwitchFile());
        this.dispatcher = new ActionDispatcher(book, metrics, ssh, clock, rechecker, this::save);
        dispatcher.onOutcome((key, text) -> store.get(key).ifPresent(series -> series.lastAction(text)));
        if (durable) {
            hook.listen(state);
        }
        hook.listen(dispatcher);
    }

    private static boolean usable(Path stateDir, boolean hasActions) {
        if (stateDir == null) {
            return false;
        }
        if (Files.isDirectory(stateDir)) {
            return true;
        }
        if (!hasActions) {
            return false;
        }
        try {
            Files.createDirectories(stateDir);
            return true;
        } catch (IOException e) {
            logger.atError()
                    .addKeyValue("state_dir", stateDir)
                    .log(
                            "Cannot create the state directory; action counts will not survive a restart: {}",
                            e.toString());
            return false;
        }
    }

    public void register(CollectorRegistry registry) {
        registry.register(metrics);
    }

    /** Restores saved states and counts; call before the first {@link #apply}. */
    public void start() {
        if (durable) {
            state.restore();
        }
    }

    public void apply(PatrolSettings next) {
        settings = next;
        AuditLog audit = durable
                ? new AuditLog(
                        stateDir,
                        next.actionLimits().auditMaxFileSize(),
                        next.actionLimits().auditMaxFiles())
                : null;
        dispatcher.apply(next.actions(), next.actionLimits(), audit);
    }

    public ActionMetrics metrics() {
        return metrics;
    }

    public ActionGuard guard() {
        return dispatcher.guard();
    }

    private void save() {
        if (durable) {
            state.saveNow();
        }
    }

    @Override
    public void close() {
        dispatcher.close();
        if (durable) {
            state.close();
        }
    }
}
