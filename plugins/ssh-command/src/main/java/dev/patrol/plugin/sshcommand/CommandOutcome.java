package dev.patrol.plugin.sshcommand;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Judges what a command did, according to {@code output}: the status and reason, a one-line summary, the longer
 * output (long plugin output, stderr and Patrol's own notes, each labelled) and the samples. Every result carries
 * {@code patrol_ssh_command_exit_status}. Stateless and thread-safe.
 *
 * <pre>{@code
 * CheckResult result = CommandOutcome.judge(commandResult, settings);
 * }</pre>
 */
final class CommandOutcome {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    static final String EXIT_STATUS = "patrol_ssh_command_exit_status";
    static final int MAX_SUMMARY = 200;

    private CommandOutcome() {}

    static CheckResult judge(CommandResult command, SshCommandSettings settings) {
        Notes notes = new Notes();
        String stdout = completeLines(command, settings.maxOutput(), notes);
        if (settings.output() == SshCommandSettings.Output.NAGIOS || !succeeded(command, settings)) {
            Optional<CheckResult> unrun = notRun(command, settings, notes);
            if (unrun.isPresent()) {
                return unrun.get();
            }
        }
        return switch (settings.output()) {
            case NAGIOS -> nagios(command, stdout, settings, notes);
            case PROMETHEUS -> prometheus(command, stdout, settings, notes);
            case NONE -> none(command, settings, notes);
        };
    }

    private static CheckResult nagios(CommandResult command, String stdout, SshCommandSettings settings, Notes notes) {
        NagiosOutput out = NagiosOutput.parse(stdout);
        // A plugin killed by a signal has no verdict, whatever it printed before it died.
        Status status = command.exitSignal().isEmpty() ? Status.fromExitCode(command.exitStatus()) : Status.UNKNOWN;
        PerfdataParser.Parsed perfdata = PerfdataParser.parse(out.perfdata());
        List<String> problems = new ArrayList<>(perfdata.problems());
        SampleSet samples = new SampleSet(settings.maxSamples());
        PerfdataSamples.addTo(samples, perfdata.items(), settings.samplesPrefix(), settings.perfdataLimits(), problems);
        if (!problems.isEmpty()) {
            notes.summary(Notes.count(problems.size(), "perfdata item", "perfdata items") + " skipped");
            problems.forEach(problem -> notes.detail("perfdata: " + problem));
        }
        samples.describe(notes);
        String text = out.text().isEmpty() && !stdout.equals(command.stdout())
                ? NagiosOutput.parse(command.stdout()).text() // a first line cut short still says what happened
                : out.text();
        String line = text.isEmpty() ? firstLine(command.stderr()) : text;
        boolean sane = command.exitSignal().isEmpty() && command.exitStatus() >= 0 && command.exitStatus() <= 3;
        String summary = sane
                ? (line.isEmpty() ? "no output, " + ending(command) : line)
                : ending(command) + (line.isEmpty() ? "" : ": " + line);
        Reason reason = status == Status.OK ? Reason.NONE : Reason.CHECK_FAILED;
        return result(status, reason, summary, notes, out.longOutput(), command, samples);
    }

    private static CheckResult prometheus(
            CommandResult command, String stdout, SshCommandSettings settings, Notes notes) {
        SampleSet samples = new SampleSet(settings.maxSamples());
        if (!succeeded(command, settings)) {
            // A failing command's output may be half written: exposing it would pass stale or partial data as news.
            String line = firstLine(command.stderr());
            String summary = ending(command) + (line.isEmpty() ? "" : ": " + line);
            return result(Status.CRITICAL, Reason.CHECK_FAILED, summary, notes, "", command, samples);
        }
        PrometheusTextParser.Parsed parsed = PrometheusTextParser.parse(stdout);
        for (PrometheusTextParser.Series series : parsed.series()) {
            samples.add(sample(series, settings.samplesPrefix()));
        }
        if (!parsed.problems().isEmpty()) {
            notes.summary(Notes.count(parsed.problems().size(), "invalid line", "invalid lines") + " skipped");
            notes.details(parsed.problems());
        }
        if (parsed.skipped() > 0) {
            notes.summary(parsed.skipped() + " histogram/summary series skipped");
        }
        samples.describe(notes);
        Status status = Status.OK;
        Reason reason = Reason.NONE;
        if (command.truncated()) {
            status = Status.WARNING;
            reason = Reason.RESPONSE_TOO_LARGE;
        } else if (!parsed.problems().isEmpty()) {
            status = Status.WARNING;
            reason = Reason.PARSE_FAILED;
        }
        String summary = Notes.count(samples.samples().size(), "sample", "samples");
        return result(status, reason, summary, notes, "", command, samples);
    }

    private static CheckResult none(CommandResult command, SshCommandSettings settings, Notes notes) {
        List<String> lines = NagiosOutput.lines(command.stdout());
        String line = lines.isEmpty() ? "" : lines.get(0).strip();
        String rest = lines.size() > 1 ? String.join("\n", lines.subList(1, lines.size())) : "";
        SampleSet samples = new SampleSet(settings.maxSamples());
        if (succeeded(command, settings)) {
            String summary = line.isEmpty() ? ending(command) : line;
            return result(Status.OK, Reason.NONE, summary, notes, rest, command, samples);
        }
        String why = line.isEmpty() ? firstLine(command.stderr()) : line;
        String summary = ending(command) + (why.isEmpty() ? "" : ": " + why);
        return result(Status.CRITICAL, Reason.CHECK_FAILED, summary, notes, rest, command, samples);
    }

    /**
     * The result of a command that never did its check: refused by the shell ({@link ShellFailures}), or stopped
     * by the remote {@code timeout} that {@code command-timeout} wraps it in (GNU timeout's exit status 124).
     */
    private static Optional<CheckResult> notRun(CommandResult command, SshCommandSettings settings, Notes notes) {
        SampleSet none = new SampleSet(settings.maxSamples());
        if (settings.commandTimeout().isOn()
                && command.exitSignal().isEmpty()
                && command.exitStatus() == CommandTimeout.TIMED_OUT) {
            String summary = "stopped by command-timeout on the target (exit status 124)";
            return Optional.of(result(Status.CRITICAL, Reason.TIMEOUT, summary, notes, "", command, none));
        }
        return ShellFailures.recognise(command).map(reason -> {
            String line = firstLine(command.stderr());
            String why = line.isEmpty() ? firstLine(command.stdout()) : line;
            return result(Status.UNKNOWN, reason, ending(command) + ": " + why, notes, "", command, none);
        });
    }

    private static boolean succeeded(CommandResult command, SshCommandSettings settings) {
        return command.exitSignal().isEmpty() && settings.okExitCodes().contains(command.exitStatus());
    }

    private static Sample sample(PrometheusTextParser.Series series, String prefix) {
        String own = Sample.isValidSampleName(series.name()) ? series.name() : SampleNames.sanitize(series.name());
        String name = prefix.isEmpty() ? own : prefix + "_" + own;
        if (series.kind() == Sample.Kind.COUNTER && !name.endsWith("_total")) {
            name += "_total";
        }
        return Sample.metric(SampleNames.metricName(name), series.kind(), series.labels(), series.value());
    }

    /**
     * Stdout without a last line that the {@code max-output} cap cut short: a half-read {@code load15=0.08} would
     * parse as a wrong value. A truncated result may have cut either stream; stdout was cut when it filled the cap
     * (less the few bytes a split UTF-8 character may turn into).
     */
    private static String completeLines(CommandResult command, int maxOutput, Notes notes) {
        if (!command.truncated()) {
            return command.stdout();
        }
        notes.summary("output cut at " + maxOutput + " bytes");
        String stdout = command.stdout();
        if (stdout.getBytes(StandardCharsets.UTF_8).length < maxOutput - 3 || stdout.endsWith("\n")) {
            return stdout;
        }
        int lastNewline = stdout.lastIndexOf('\n');
        notes.detail("the last line of stdout was cut by max-output and not parsed");
        return lastNewline < 0 ? "" : stdout.substring(0, lastNewline + 1);
    }

    private static CheckResult result(
            Status status,
            Reason reason,
            String summary,
            Notes notes,
            String body,
            CommandResult command,
            SampleSet samples) {
        List<Sample> all = new ArrayList<>();
        all.add(Sample.metric(EXIT_STATUS, Sample.Kind.GAUGE, Map.of(), command.exitStatus()));
        all.addAll(samples.samples());
        StringJoiner output = new StringJoiner("\n");
        if (!body.isBlank()) {
            output.add(body.stripTrailing());
        }
        if (!command.stderr().isBlank()) {
            output.add("[stderr]").add(command.stderr().stripTrailing());
        }
        String details = notes.details();
        if (!details.isEmpty()) {
            output.add("[patrol]").add(details);
        }
        return new CheckResult(status, reason, notes.appendTo(cap(summary)), output.toString(), all);
    }

    private static String ending(CommandResult command) {
        return command.exitSignal().isEmpty()
                ? "exit status " + command.exitStatus()
                : "killed by signal " + command.exitSignal();
    }

    private static String firstLine(String text) {
        for (String line : NagiosOutput.lines(text)) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    /** One line of at most {@link #MAX_SUMMARY} characters: remote text must not flood the status page or logs. */
    static String cap(String text) {
        String line = WHITESPACE.matcher(text).replaceAll(" ").strip();
        return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY) + "..." : line;
    }
}
