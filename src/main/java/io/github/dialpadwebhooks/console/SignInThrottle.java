package io.github.dialpadwebhooks.console;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Failed console sign-ins per client address, in fixed one-minute windows: after {@code limit} failures an address
 * is refused (429) until the minute is over. Memory is bounded: the map is emptied at every new minute, and once it
 * holds {@link #MAX_ADDRESSES} addresses the further ones share a single count.
 */
public final class SignInThrottle {

    static final int MAX_ADDRESSES = 10_000;
    private static final String OTHERS = "(other addresses)";

    private final int limit;
    private final Clock clock;
    private final Map<String, Integer> failures = new HashMap<>();
    private long minute = -1;

    public SignInThrottle(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    public int limit() {
        return limit;
    }

    /** True when this address has used up its failures for the current minute. */
    public synchronized boolean isBlocked(String address) {
        roll();
        return failures.getOrDefault(key(address), 0) >= limit;
    }

    /** Counts a failed sign-in; the address's failures this minute. */
    public synchronized int failed(String address) {
        roll();
        return failures.merge(key(address), 1, Integer::sum);
    }

    /** Seconds until the current window ends. */
    public long secondsLeft() {
        return 60 - clock.instant().getEpochSecond() % 60;
    }

    private String key(String address) {
        return failures.containsKey(address) || failures.size() < MAX_ADDRESSES ? address : OTHERS;
    }

    private void roll() {
        long now = clock.instant().getEpochSecond() / 60;
        if (now != minute) {
            minute = now;
            failures.clear();
        }
    }
}
