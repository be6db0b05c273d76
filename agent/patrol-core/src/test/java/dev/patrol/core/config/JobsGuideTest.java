package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;

/** The examples in docs/jobs.md load as they stand, with the settings the guide says they have. */
class JobsGuideTest {
    private static final Path GUIDE = Path.of("../../docs/jobs.md");

    @TempDir
    Path dir;

    private static List<String> hoconBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(GUIDE)) {
            if (block == null && line.strip().equals("```hocon")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void theNightlyBackupExampleLoads() throws IOException {
        String example = hoconBlocks().get(0);
        Path file = ConfigTesting.writeWithSshFiles(dir, "patrol.conf", example);

        PatrolSettings settings = ConfigTesting.loader().load(file);

        JobSettings make = settings.jobs().get("db-dump-make");
        JobSettings dump = settings.jobs().get("db-dump");
        assertThat(make.type()).isEqualTo(JobType.COMMAND);
        assertThat(make.targets()).hasSize(3);
        assertThat(dump.type()).isEqualTo(JobType.FETCH);
        assertThat(dump.serial().of(3)).isEqualTo(2);
        assertThat(dump.transfer().maxRate()).isEqualTo(20L * 1024 * 1024);
        assertThat(dump.transfer().maxBytes()).isEqualTo(50L * 1024 * 1024 * 1024);
        assertThat(dump.destination()).isEqualTo(Path.of("/var/lib/patrol/backups"));
    }

    @Test
    void theNightlyBackupMakesTheDumpBeforeItIsFetchedAndTheGuideShowsWhatCheckConfigPrints() throws IOException {
        Path file = ConfigTesting.writeWithSshFiles(
                dir, "patrol.conf", hoconBlocks().get(0));
        PatrolSettings settings = ConfigTesting.loader().load(file);

        // Winter and summer time: the dump job must come first in both, whatever zone each is read in.
        for (String when : List.of("2026-12-03T22:30:00Z", "2026-07-01T12:00:00Z")) {
            Instant now = Instant.parse(when);
            assertThat(nextRun(settings.jobs().get("db-dump-make"), now))
                    .as("at %s", when)
                    .isBefore(nextRun(settings.jobs().get("db-dump"), now));
        }
        // The guide's console block was printed on the evening of 3 December 2026.
        List<String> shown = Files.readAllLines(GUIDE).stream()
                .dropWhile(line -> !line.startsWith("  JOB "))
                .takeWhile(line -> !line.startsWith("```"))
                .toList();
        assertThat(shown).hasSize(3);
        assertThat(ConfigSummary.lines(settings, Instant.parse("2026-12-03T22:30:00Z")))
                .containsSubsequence(shown);
    }

    private static Instant nextRun(JobSettings job, Instant now) {
        try {
            CronExpression cron = new CronExpression(job.schedule());
            cron.setTimeZone(TimeZone.getTimeZone(job.timeZone()));
            return cron.getNextValidTimeAfter(Date.from(now)).toInstant();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePushExampleLoads() throws IOException {
        String example = "patrol.targets.web-1 { host = \"10.0.0.31\", labels { role = \"web\" } }\n"
                + hoconBlocks().get(1);
        Path file = ConfigTesting.writeWithSshFiles(dir, "patrol.conf", example);

        JobSettings push = ConfigTesting.loader().load(file).jobs().get("app-conf");

        assertThat(push.type()).isEqualTo(JobType.PUSH);
        assertThat(push.push().source()).isEqualTo(dir.resolve("files/app.conf"));
        assertThat(push.push().remotePath()).isEqualTo("/etc/myapp/app.conf");
        assertThat(push.push().mode()).isEqualTo(0640);
        assertThat(push.push().owner()).isEqualTo("root:myapp");
    }
}
