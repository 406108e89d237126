package io.github.dialpadwebhooks.failures;

import io.github.dialpadwebhooks.support.Sql;

/** A fault injected in the database, not a mock: a trigger on calls that refuses chosen call ids. */
public final class PoisonTrigger {

    public static final String MESSAGE = "poison call refused by the test trigger";

    private PoisonTrigger() {
    }

    public static void install(long... callIds) {
        StringBuilder ids = new StringBuilder();
        for (long id : callIds) {
            ids.append(ids.length() == 0 ? "" : ",").append(id);
        }
        Sql.execute("CREATE OR REPLACE FUNCTION test_poison_calls() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.dialpad_call_id IN (" + ids + ") THEN "
                + "RAISE EXCEPTION '" + MESSAGE + " (%)', NEW.dialpad_call_id; END IF; RETURN NEW; END $$");
        Sql.execute("DROP TRIGGER IF EXISTS test_poison_calls ON calls");
        Sql.execute("CREATE TRIGGER test_poison_calls BEFORE INSERT OR UPDATE ON calls "
                + "FOR EACH ROW EXECUTE FUNCTION test_poison_calls()");
    }

    public static void remove() {
        Sql.execute("DROP TRIGGER IF EXISTS test_poison_calls ON calls");
        Sql.execute("DROP FUNCTION IF EXISTS test_poison_calls()");
    }

    public static String callEvent(long callId, String state, long timestamp) {
        return "{\"call_id\":" + callId + ",\"state\":\"" + state + "\",\"direction\":\"inbound\","
                + "\"event_timestamp\":" + timestamp + ",\"external_number\":\"+15550001\","
                + "\"internal_number\":\"+15550002\",\"date_started\":" + (timestamp - 1000) + "}";
    }
}
