package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtensionInfo;
import org.junit.jupiter.api.Test;

class SftpReadSizeTest {
    private static OpenSSHLimitsExtensionInfo maxRead(long bytes) {
        OpenSSHLimitsExtensionInfo info = new OpenSSHLimitsExtensionInfo();
        info.maxReadLength = bytes;
        return info;
    }

    @Test
    void openSshsAnnouncedLimitIsUsedWhole() {
        assertThat(SftpReadSize.choose(maxRead(261_120))).isEqualTo(SftpReadSize.LARGEST);
    }

    @Test
    void aLargerLimitIsCappedAndASmallerOneAboveTheDefaultIsKept() {
        assertThat(SftpReadSize.choose(maxRead(4L << 20))).isEqualTo(SftpReadSize.LARGEST);
        assertThat(SftpReadSize.choose(maxRead(64 * 1024))).isEqualTo(64 * 1024);
    }

    @Test
    void noLimitOrOneNoLargerThanTheDefaultKeepsTheDefault() {
        assertThat(SftpReadSize.choose(maxRead(0))).isEqualTo(SftpReadSize.DEFAULT);
        assertThat(SftpReadSize.choose(maxRead(32 * 1024))).isEqualTo(SftpReadSize.DEFAULT);
    }
}
