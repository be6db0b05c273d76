package dev.patrol.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sshd_config} an {@link OpenSshServer} runs with: loopback only, public-key login only, a log verbose
 * enough to count logins, an empty shared HOME so the remote shell reads no rc files, and the SFTP subsystem.
 *
 * @param forceCommand OpenSSH's {@code ForceCommand}, or {@code null} for none
 * @param logLevel OpenSSH's {@code LogLevel}
 */
record SshdConfig(
        int port,
        Path hostKey,
        Path authorizedKeys,
        Path home,
        int maxSessions,
        boolean pam,
        String forceCommand,
        String logLevel) {

    /** Writes the config to {@code file}, with the server's pid file at {@code pidFile}. */
    void write(Path file, Path pidFile) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            // sshd run as root insists on its privilege separation directory, which only the service creates.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        List<String> lines = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + pidFile,
                "AuthorizedKeysFile " + authorizedKeys,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM " + (pam ? "yes" : "no"),
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "MaxSessions " + maxSessions,
                "MaxStartups 100:30:200",
                "LogLevel " + logLevel,
                "SetEnv HOME=" + home,
                "PrintMotd no",
                "PrintLastLog no",
                "UseDNS no",
                "X11Forwarding no",
                "Subsystem sftp internal-sftp"));
        if (forceCommand != null) {
            lines.add("ForceCommand " + forceCommand);
        }
        Files.write(file, lines, StandardCharsets.US_ASCII);
    }
}
