package dev.patrol.core.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks user names and passwords against bcrypt hashes, as exporter-toolkit's {@code basic_auth_users} does.
 *
 * <p>Timing does not reveal which user names exist: an unknown user is compared against a dummy hash of the same
 * cost. bcrypt is slow by design and Prometheus sends the same credentials with every scrape, so a successful check is
 * remembered for {@link #CACHE_TTL_NANOS}; the cache is keyed by an HMAC of user, password and hash under a random
 * per-process key, so it never holds a password nor anything an attacker could test guesses against offline.
 *
 * <p>Thread-safe.
 */
final class BasicAuthUsers {
    static final long CACHE_TTL_NANOS = 60_000_000_000L;
    private static final int CACHE_MAX = 1_000;

    private final Map<String, String> hashes;
    private final String dummyHash;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Long> verified = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    /** @param hashes user name to bcrypt hash in modular crypt format ({@code $2y$10$...}), checked by the loader */
    BasicAuthUsers(Map<String, String> hashes) {
        this(hashes, System::nanoTime);
    }

    BasicAuthUsers(Map<String, String> hashes, LongSupplier nanoTime) {
        this.hashes = Map.copyOf(hashes);
        this.nanoTime = nanoTime;
        SecureRandom random = new SecureRandom();
        random.nextBytes(cacheKey);
        byte[] dummyPassword = new byte[16];
        random.nextBytes(dummyPassword);
        int cost = this.hashes.values().stream()
                .mapToInt(BasicAuthUsers::cost)
                .max()
                .orElse(BCrypt.MIN_COST);
        this.dummyHash = new String(
                BCrypt.withDefaults().hash(cost, Base64.getEncoder().encode(dummyPassword)), StandardCharsets.UTF_8);
    }

    /** The cost factor: the digits between the second and third {@code $} of {@code $2y$10$...}. */
    static int cost(String hash) {
        String[] parts = hash.split("\\$");
        return parts.length > 2 ? Integer.parseInt(parts[2]) : BCrypt.MIN_COST;
    }

    boolean isEmpty() {
        return hashes.isEmpty();
    }

    /** Whether {@code password} is {@code user}'s; takes a bcrypt comparison unless recently verified. */
    boolean check(String user, String password) {
        String hash = hashes.get(user);
        String cacheEntry = cacheEntry(user, password, hash == null ? dummyHash : hash);
        long now = nanoTime.getAsLong();
        Long expiry = verified.get(cacheEntry);
        if (hash != null && expiry != null && expiry - now > 0) {
            return true;
        }
        boolean matches = bcrypt(password, hash == null ? dummyHash : hash) && hash != null;
        if (matches) {
            if (verified.size() >= CACHE_MAX) {
                verified.clear();
            }
            verified.put(cacheEntry, now + CACHE_TTL_NANOS);
        }
        return matches;
    }

    private static boolean bcrypt(String password, String hash) {
        try {
            return BCrypt.verifyer()
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException e) {
            // Longer than bcrypt's 72 bytes: no configured password can be that long.
            return false;
        }
    }

    private String cacheEntry(String user, String password, String hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            for (String part : new String[] {user, password, hash}) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
