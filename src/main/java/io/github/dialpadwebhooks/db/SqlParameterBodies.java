package io.github.dialpadwebhooks.db;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Makes camel-sql's parameter lookups cheap for the message bodies the routes give it.
 *
 * <p>For each parameter of a statement ({@code :#name} or {@code :#${expression}}) camel-sql first tries the message
 * body as a Map, twice ({@code TypeConverter.tryConvertTo(Map.class, body)}). Camel's {@code tryConvertTo} never
 * remembers a miss, so for a body that is not a Map it searches all of its type converters again each time: measured
 * 300 µs for the claimed rows' list (a batch's {@code onConsume} has 7 parameters: 4 ms a batch) and 20 µs for an
 * {@code EventGroup} (a group's projection statements). A conversion asked for with {@code convertTo} does remember
 * its miss, so each such body type is asked once when Camel starts; later lookups cost a map probe (~1 µs). A type
 * converter added later replaces the remembered miss, so nothing that could convert is hidden.
 */
public final class SqlParameterBodies {

    private SqlParameterBodies() {
    }

    /** When {@code context} starts, remembers that none of these bodies' types converts to a Map. */
    public static void rememberNotMaps(CamelContext context, List<Object> bodies) throws Exception {
        context.addStartupListener((StartupListener) (camel, alreadyStarted) -> {
            for (Object body : bodies) {
                if (!(body instanceof Map)) {
                    try {
                        camel.getTypeConverter().convertTo(Map.class, body);
                    } catch (RuntimeException notConvertible) {
                        // what camel-sql's own lookup gets as well: no Map, the parameter comes from elsewhere
                    }
                }
            }
        });
    }
}
