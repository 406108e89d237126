package io.github.dialpadwebhooks.failures;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.dialpadwebhooks.support.Sql;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fault injected in the database, not a mock: a trigger on calls that refuses chosen call ids. As a JUnit extension
 * it is in place for each test and gone after it:
 * <pre>
 * &#64;RegisterExtension
 * PoisonTrigger poison = PoisonTrigger.refusing(POISON);
 * </pre>
 * A test may change the ids it refuses ({@link #refuse}) or take the fault away mid-test ({@link #remove}) to
 * "fix the cause" before a replay.
 */
public final class PoisonTrigger implements BeforeEachCallback, AfterEachCallback {

    public static final String MESSAGE = "poison call refused by the test trigger";

    private final long[] callIds;

    private PoisonTrigger(long[] callIds) {
        this.callIds = callIds;
    }

    /** Refuses these call ids during each test (none: installed by the test itself with {@link #refuse}). */
    public static PoisonTrigger refusing(long... callIds) {
        return new PoisonTrigger(callIds);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (callIds.length > 0) {
            refuse(callIds);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        remove();
    }

    /** From now on, writes of these call ids to calls fail with {@link #MESSAGE}. */
    public void refuse(long... ids) {
        String list = Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
        Sql.execute("CREATE OR REPLACE FUNCTION test_poison_calls() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.dialpad_call_id IN (" + list + ") THEN "
                + "RAISE EXCEPTION '" + MESSAGE + " (%)', NEW.dialpad_call_id; END IF; RETURN NEW; END $$");
        Sql.execute("DROP TRIGGER IF EXISTS test_poison_calls ON calls");
        Sql.execute("CREATE TRIGGER test_poison_calls BEFORE INSERT OR UPDATE ON calls "
                + "FOR EACH ROW EXECUTE FUNCTION test_poison_calls()");
    }

    /** The fault is gone (the cause is fixed). */
    public void remove() {
        Sql.execute("DROP TRIGGER IF EXISTS test_poison_calls ON calls");
        Sql.execute("DROP FUNCTION IF EXISTS test_poison_calls()");
    }
}
