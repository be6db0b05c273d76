package dev.patrol.plugin.sshcommand;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CommandResult;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers every command with one canned result or failure, and records what it was asked: the one stand-in these
 * tests use, for the pure logic of judging a command's result. Real sessions are exercised by the *IT tests.
 */
final class FakeSshSessions implements SshSessions {
    /** What one call asked for. */
    record Call(Target target, String command, int maxOutputBytes) {}

    private final CompletableFuture<CommandResult> answer;
    private final List<Call> calls = new ArrayList<>();

    private FakeSshSessions(CompletableFuture<CommandResult> answer) {
        this.answer = answer;
    }

    static FakeSshSessions answering(CommandResult result) {
        return new FakeSshSessions(CompletableFuture.completedFuture(result));
    }

    static FakeSshSessions failing(Throwable error) {
        return new FakeSshSessions(CompletableFuture.failedFuture(error));
    }

    @Override
    public synchronized CompletionStage<CommandResult> exec(
            Target target, String command, int maxOutputBytes, CheckContext context) {
        calls.add(new Call(target, command, maxOutputBytes));
        return answer.copy();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
