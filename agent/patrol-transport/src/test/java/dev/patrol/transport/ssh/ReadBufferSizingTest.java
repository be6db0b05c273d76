package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadBufferSizingTest {
    private static final int SMALL = 2048;
    private static final int LARGE = 16384;

    @Test
    void startsSmallAndStaysSmallForReadsThatFit() {
        ReadBufferSizing sizing = new ReadBufferSizing(SMALL, LARGE);

        assertThat(sizing.initial()).isEqualTo(SMALL);
        for (int i = 0; i < 100; i++) {
            assertThat(sizing.afterRead(SMALL, 300)).isEqualTo(SMALL);
        }
    }

    @Test
    void aReadThatFillsTheBufferGrowsItToTheLargeSizeAtOnce() {
        ReadBufferSizing sizing = new ReadBufferSizing(SMALL, LARGE);

        assertThat(sizing.afterRead(SMALL, SMALL)).isEqualTo(LARGE);
        assertThat(sizing.afterRead(LARGE, LARGE)).isEqualTo(LARGE);
    }

    @Test
    void shrinksOnlyAfterARunOfSmallReads() {
        ReadBufferSizing sizing = new ReadBufferSizing(SMALL, LARGE);

        for (int i = 1; i < ReadBufferSizing.SMALL_READS_BEFORE_SHRINK; i++) {
            assertThat(sizing.afterRead(LARGE, 100)).as("small read %d", i).isEqualTo(LARGE);
        }
        assertThat(sizing.afterRead(LARGE, 100)).isEqualTo(SMALL);
    }

    @Test
    void aReadLargerThanTheSmallSizeRestartsTheRun() {
        ReadBufferSizing sizing = new ReadBufferSizing(SMALL, LARGE);
        for (int i = 1; i < ReadBufferSizing.SMALL_READS_BEFORE_SHRINK; i++) {
            sizing.afterRead(LARGE, 100);
        }

        // A stream's tail: more than the small buffer holds, less than the large one.
        assertThat(sizing.afterRead(LARGE, SMALL + 1)).isEqualTo(LARGE);
        for (int i = 1; i < ReadBufferSizing.SMALL_READS_BEFORE_SHRINK; i++) {
            assertThat(sizing.afterRead(LARGE, 100)).isEqualTo(LARGE);
        }
        assertThat(sizing.afterRead(LARGE, 100)).isEqualTo(SMALL);
    }

    @Test
    void aFullReadRestartsTheRunToo() {
        ReadBufferSizing sizing = new ReadBufferSizing(SMALL, LARGE);
        for (int i = 1; i < ReadBufferSizing.SMALL_READS_BEFORE_SHRINK; i++) {
            sizing.afterRead(LARGE, 100);
        }

        assertThat(sizing.afterRead(LARGE, LARGE)).isEqualTo(LARGE);
        assertThat(sizing.afterRead(LARGE, 100)).isEqualTo(LARGE);
    }

    @Test
    void equalSizesNeverChange() {
        ReadBufferSizing sizing = new ReadBufferSizing(LARGE, LARGE);

        assertThat(sizing.afterRead(LARGE, LARGE)).isEqualTo(LARGE);
        for (int i = 0; i < 40; i++) {
            assertThat(sizing.afterRead(LARGE, 10)).isEqualTo(LARGE);
        }
    }

    @Test
    void refusesSizesThatMakeNoSense() {
        assertThatThrownBy(() -> new ReadBufferSizing(0, LARGE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadBufferSizing(LARGE, SMALL)).isInstanceOf(IllegalArgumentException.class);
    }
}
