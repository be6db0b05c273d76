package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class JobResultTest {
    @Test
    void aFullDiskOrQuotaIsDiskFullWhereverItIsWrapped() {
        IOException enospc = new IOException("No space left on device");
        FileSystemException quota = new FileSystemException("/backups/x", null, "Disk quota exceeded");

        assertThat(JobResult.ofFailure(enospc)).isEqualTo(JobResult.DISK_FULL);
        assertThat(JobResult.ofFailure(quota)).isEqualTo(JobResult.DISK_FULL);
        assertThat(JobResult.ofFailure(new UncheckedIOException(enospc))).isEqualTo(JobResult.DISK_FULL);
    }

    @Test
    void maxBytesIsTooLargeAndAnythingElseFailed() {
        assertThat(JobResult.ofFailure(new TransferMeter.TooLarge("over"))).isEqualTo(JobResult.TOO_LARGE);
        assertThat(JobResult.ofFailure(new IOException("Connection reset"))).isEqualTo(JobResult.FAILED);
        assertThat(JobResult.ofFailure(new IllegalStateException())).isEqualTo(JobResult.FAILED);
    }

    @Test
    void aSkippedPushCountsAsSuccessAndTheNewResultsAsFailures() {
        assertThat(JobResult.SKIPPED.succeeded()).isTrue();
        assertThat(JobResult.DISK_FULL.succeeded()).isFalse();
        assertThat(JobResult.TOO_LARGE.label()).isEqualTo("too_large");
        assertThat(JobResult.DISK_FULL.label()).isEqualTo("disk_full");
    }
}
