package dev.patrol.core.action;

import dev.patrol.api.SshSessions;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.config.ActionSettings;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.StateType;
import dev.patrol.core.transition.StateMachine.Transition;
import dev.patrol.core.transition.TransitionListener;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires remediation actions on hard state changes. For each action of the check whose statuses include the new hard
 * status: nothing on the first result after start (no earlier state), a suppression on a soft state or a flapping
 * pair, a refused template value, or a guardrail ({@link ActionGuard}); else the durable state is saved, the action
 * runs ({@link ActionRunner}), optionally the check is run again, and the outcome is audited and counted.
 *
 * <p>Thread-safe: settings are swapped as a unit by {@link #apply}; the guard serializes admissions.
 */
public final class ActionDispatcher implements TransitionListener, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger("patrol.action");

    /** Runs a check again now and records its result like a scheduled run. */
    @FunctionalInterface
    public interface Rechecker {
        CompletableFuture<RunRecord> recheck(CheckSettings check, Target target);
    }

    private record Config(Map<String, List<ActionSettings>> byCheck, ActionSettings.Limits limits, AuditLog audit) {}

    private final ActionGuard guard;
    private final ActionMetrics metrics;
    private final ActionRunner runner;
    private final Clock clock;
    private final Rechecker rechecker;
    private final Runnable saveState;
    private volatile Config config = new Config(Map.of(), ActionSettings.Limits.DEFAULT, null);
    private volatile BiConsumer<SeriesKey, String> notes = (key, text) -> {};

    /**
     * @param saveState writes the durable state; called after an admission and before the action starts
     */
    public ActionDispatcher(
            GuardBook book,
            ActionMetrics metrics,
            SshSessions ssh,
            Clock clock,
            Rechecker rechecker,
            Runnable saveState) {
        this.guard = new ActionGuard(book);
        this.metrics = metrics;
        this.runner = new ActionRunner(ssh, clock);
        this.clock = clock;
        this.rechecker = rechecker;
        this.saveState = saveState;
    }

    /** Puts a (re)loaded set of actions in force; runs in flight finish under the settings they started with. */
    public void apply(Map<String, ActionSettings> actions, ActionSettings.Limits limits, AuditLog audit) {
        Map<String, List<ActionSettings>> byCheck = new HashMap<>();
        for (ActionSettings action : actions.values()) {
            byCheck.computeIfAbsent(action.check(), check -> new ArrayList<>()).add(action);
        }
        metrics.configure(actions.values());
        config = new Config(Map.copyOf(byCheck), limits, audit);
    }

    /** Told, per pair, what its last action did in one line ({@code fix: success at ...}): the status page. */
    public void onOutcome(BiConsumer<SeriesKey, String> newNotes) {
        this.notes = newNotes;
    }

    public ActionGuard guard() {
        return guard;
    }

    @Override
    public void transitioned(CheckSettings check, Target target, RunRecord run, Transition transition) {
        Config current = config;
        List<ActionSettings> actions = current.byCheck().get(check.name());
        if (actions == null || transition.first()) {
            return;
        }
        PairState state = transition.state();
        for (ActionSettings action : actions) {
            if (!action.statuses().contains(state.status()) || !action.targets().contains(target)) {
                continue;
            }
            if (state.type() == StateType.SOFT) {
                suppress(current, action, target, state, Suppression.SOFT_STATE, null);
            } else if (transition.hardChange()) {
                trigger(current, action, check, target, state);
            }
        }
    }

    private void trigger(Config current, ActionSettings action, CheckSettings check, Target target, PairState state) {
        if (state.flapping()) {
            suppress(current, action, target, state, Suppression.FLAPPING, null);
            return;
        }
        Map<String, String> values = CommandTemplate.values(check.name(), target, state.status());
        String shown;
        List<String> argv = null;
        try {
            if (action.http() != null) {
                shown = action.http().method() + " "
                        + CommandTemplate.url(action.http().url(), values);
            } else if (action.where() == ActionSettings.Where.LOCAL && !action.shell()) {
                argv = CommandTemplate.argv(action.run(), values);
                shown = String.join(" ", argv);
            } else {
                shown = CommandTemplate.shell(action.run(), values);
            }
        } catch (CommandTemplate.UnsafeArgument e) {
            suppress(current, action, target, state, Suppression.UNSAFE_ARGUMENT, e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Optional<Suppression> refused = guard.admit(action, target.name(), current.limits(), now);
        if (refused.isPresent()) {
            suppress(current, action, target, state, refused.get(), shown);
            return;
        }
        GuardBook.Key key = new GuardBook.Key(action.name(), target.name());
        if (action.dryRun()) {
            metrics.ran(key, RunResult.DRY_RUN, now.toEpochMilli());
            note(action, target, "dry run: " + shown);
            audit(current, action, target, state, entry -> {
                entry.put("event", "dry_run");
                entry.put("result", RunResult.DRY_RUN.label());
                entry.put("command", shown);
            });
            logger.atInfo()
                    .addKeyValue("action", action.name())
                    .addKeyValue("target", target.name())
                    .log("Dry run, would run: \"{}\"", shown);
            return;
        }
        saveState.run();
        logger.atInfo()
                .addKeyValue("action", action.name())
                .addKeyValue("target", target.name())
                .addKeyValue("check", check.name())
                .addKeyValue("status", state.status().label())
                .log("Running action: \"{}\"", shown);
        CompletableFuture<Execution> execution;
        try {
            execution = action.http() != null
                    ? runner.http(action, shown.substring(action.http().method().length() + 1))
                    : argv != null
                            ? runner.local(action, argv)
                            : action.where() == ActionSettings.Where.LOCAL
                                    ? runner.local(action, List.of("/bin/sh", "-c", shown))
                                    : runner.ssh(action, target, shown);
        } catch (RuntimeException e) {
            execution = CompletableFuture.completedFuture(
                    new Execution(RunResult.FAILURE, -1, e.toString(), java.time.Duration.ZERO));
        }
        execution.thenCompose(done -> recheck(action, check, target, done)).whenComplete((outcome, error) -> {
            try {
                finish(current, action, target, state, shown, outcome, error);
            } finally {
                guard.release(target.name());
            }
        });
    }

    private record Outcome(Execution execution, Status recheck) {}

    private CompletableFuture<Outcome> recheck(
            ActionSettings action, CheckSettings check, Target target, Execution done) {
        if (!action.recheck() || done.result() == RunResult.TIMEOUT) {
            return CompletableFuture.completedFuture(new Outcome(done, null));
        }
        return rechecker
                .recheck(check, target)
                .handle((record, error) -> new Outcome(
                        done, record == null ? Status.UNKNOWN : record.result().status()));
    }

    private void finish(
            Config current,
            ActionSettings action,
            Target target,
            PairState state,
            String shown,
            Outcome outcome,
            Throwable error) {
        Execution execution = outcome != null
                ? outcome.execution()
                : new Execution(RunResult.FAILURE, -1, String.valueOf(error), java.time.Duration.ZERO);
        RunResult result = execution.result();
        if (outcome != null
                && outcome.recheck() != null
                && result == RunResult.SUCCESS
                && action.statuses().contains(outcome.recheck())) {
            result = RunResult.FAILURE; // it ran, and did not fix what triggered it
        }
        RunResult finalResult = result;
        note(action, target, result.label());
        metrics.ran(new GuardBook.Key(action.name(), target.name()), result, clock.millis());
        audit(current, action, target, state, entry -> {
            entry.put("event", "run");
            entry.put("result", finalResult.label());
            entry.put("command", shown);
            entry.put("exit_status", execution.exitStatus());
            entry.put("duration_seconds", execution.duration().toMillis() / 1000.0);
            entry.put("output", execution.output());
            entry.put(
                    "recheck",
                    outcome == null || outcome.recheck() == null
                            ? null
                            : outcome.recheck().label());
        });
        logger.atLevel(result == RunResult.SUCCESS ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.WARN)
                .addKeyValue("action", action.name())
                .addKeyValue("target", target.name())
                .addKeyValue("result", result.label())
                .addKeyValue("exit_status", execution.exitStatus())
                .log("Action finished");
    }

    private void suppress(
            Config current, ActionSettings action, Target target, PairState state, Suppression reason, String shown) {
        metrics.suppressed(new GuardBook.Key(action.name(), target.name()), reason);
        note(action, target, "suppressed (" + reason.label() + ")");
        audit(current, action, target, state, entry -> {
            entry.put("event", "suppressed");
            entry.put("reason", reason.label());
            entry.put("command", shown);
        });
        logger.atInfo()
                .addKeyValue("action", action.name())
                .addKeyValue("target", target.name())
                .addKeyValue("reason", reason.label())
                .log("Action suppressed");
    }

    private void note(ActionSettings action, Target target, String what) {
        notes.accept(
                new SeriesKey(action.check(), target.name()),
                action.name() + ": " + what + " at " + clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    private void audit(
            Config current,
            ActionSettings action,
            Target target,
            PairState state,
            java.util.function.Consumer<Map<String, Object>> details) {
        if (current.audit() == null) {
            return;
        }
        Map<String, Object> entry = new HashMap<>();
        entry.put("time", clock.instant().toString());
        entry.put("action", action.name());
        entry.put("target", target.name());
        entry.put("check", action.check());
        entry.put("status", state.status().label());
        entry.put("state", state.type().label());
        entry.put("dry_run", action.dryRun());
        details.accept(entry);
        current.audit().append(entry);
    }

    @Override
    public void close() {
        runner.close();
    }
}
