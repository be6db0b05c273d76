package dev.patrol.core.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires HTTP basic authentication on every path, {@code POST /-/reload} included, when users are configured; lets
 * everything through otherwise. The users can be replaced while serving (config reload).
 *
 * <p>Thread-safe.
 */
final class BasicAuthHandler extends Handler.Wrapper {
    private static final Logger logger = LoggerFactory.getLogger(BasicAuthHandler.class);
    static final String CHALLENGE = "Basic realm=\"patrol\"";

    private Map<String, String> hashes;
    private volatile BasicAuthUsers users;

    /** @param hashes user name to bcrypt hash; empty lets every request through */
    BasicAuthHandler(Map<String, String> hashes, Handler next) {
        super(next);
        this.hashes = Map.copyOf(hashes);
        this.users = new BasicAuthUsers(this.hashes);
    }

    /** Replaces the users; unchanged ones keep their verified credentials cached. */
    synchronized void setUsers(Map<String, String> next) {
        if (!next.equals(hashes)) {
            hashes = Map.copyOf(next);
            users = new BasicAuthUsers(hashes);
        }
    }

    boolean hasUsers() {
        return !users.isEmpty();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        BasicAuthUsers current = users;
        if (current.isEmpty() || authenticated(current, request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback);
        }
        logger.atDebug()
                .addKeyValue("remote", Request.getRemoteAddr(request))
                .addKeyValue("path", Request.getPathInContext(request))
                .log("Request without valid credentials refused");
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        WebHandler.write(response, callback, HttpStatus.UNAUTHORIZED_401, WebHandler.TEXT, "Unauthorized\n");
        return true;
    }

    private static boolean authenticated(BasicAuthUsers users, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && users.check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
