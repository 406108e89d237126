package io.github.dialpadwebhooks.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlEndpoint;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlHelper;

/**
 * camel-sql's statement preparation, with each SQL text parsed once instead of at every execution.
 *
 * <p>Before each execution camel-sql's {@link DefaultSqlPrepareStatementStrategy} scans the whole SQL text with
 * regular expressions four or five times: to find whether it has named parameters ({@code :#name},
 * {@code :#${expression}}), to turn them into {@code ?}, and again to list them in order for binding. The routes' SQL
 * files are long and commented (the claim is 3 KB), so at 500 events/s this scanning was ~40% of the processing
 * thread's CPU (JFR, docs/design.md#query-plans). The parsed form depends on the text alone, so it is remembered per
 * text (at most {@link #MAX_TEXTS}); values are still looked up per exchange exactly as camel-sql does
 * ({@link SqlHelper}). A text with {@code :#in:} parameters (a placeholder per value, so per exchange) is left to
 * camel-sql.
 *
 * <p>Installed on every sql endpoint that names no strategy of its own ({@link #install}).
 */
public final class ParsedSqlTexts extends DefaultSqlPrepareStatementStrategy {

    /** Texts remembered at most, so memory stays bounded even if some SQL text were built per request. */
    private static final int MAX_TEXTS = 1_000;

    // camel-sql's own pattern for a named parameter (DefaultSqlPrepareStatementStrategy.NAME_PATTERN)
    private static final Pattern NAME_PATTERN = Pattern.compile(
            "\\:\\?((in\\:(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))|(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))",
            Pattern.MULTILINE);
    private static final String MISSING_PARAMETER
            = "Cannot find key [%s] in message body or headers to use when setting named parameter in query [%s]";

    private final Map<String, String> prepared = new ConcurrentHashMap<>();
    private final Map<String, List<String>> names = new ConcurrentHashMap<>();

    public ParsedSqlTexts(char separator) {
        super(separator);
    }

    /** Gives every sql endpoint created from now on without a strategy of its own one that parses each text once. */
    public static void install(CamelContext context) {
        context.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof DefaultSqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
                sql.setPrepareStatementStrategy(new ParsedSqlTexts(sql.getSeparator()));
            }
            return endpoint;
        });
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        if (!allowNamedParameters || hasInParameters(query)) {
            return super.prepareQuery(query, allowNamedParameters, exchange);
        }
        String known = prepared.get(query);
        if (known == null) {
            known = super.prepareQuery(query, true, exchange);
            if (prepared.size() < MAX_TEXTS) {
                prepared.put(query, known);
            }
        }
        return known;
    }

    @Override
    protected boolean hasNamedParameters(String query) {
        return !names(query).isEmpty();
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams,
                                              Exchange exchange, Object value) throws SQLException {
        List<String> parameters = names(query);
        if (parameters.isEmpty() || hasInParameters(query)) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        // as camel-sql's own iterator: each named parameter's value in order, from the body, headers, variables or
        // the expression
        Iterator<String> next = parameters.iterator();
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return next.hasNext();
            }

            @Override
            public Object next() {
                if (!next.hasNext()) {
                    throw new NoSuchElementException();
                }
                String name = next.next();
                if (!SqlHelper.hasParameter(name, exchange, value)) {
                    throw new RuntimeExchangeException(String.format(MISSING_PARAMETER, name, query), exchange);
                }
                return SqlHelper.lookupParameter(name, exchange, value);
            }
        };
    }

    private static boolean hasInParameters(String query) {
        return query.contains(":?in:");
    }

    /** The named parameters of {@code query} in order, parsed once per text. */
    List<String> names(String query) {
        List<String> known = names.get(query);
        if (known == null) {
            known = parse(query);
            if (names.size() < MAX_TEXTS) {
                names.put(query, known);
            }
        }
        return known;
    }

    // camel-sql's NamedQueryParser, run to the end once
    private static List<String> parse(String query) {
        List<String> found = new ArrayList<>();
        Matcher matcher = NAME_PATTERN.matcher(query);
        while (matcher.find()) {
            String param = matcher.group(1);
            if (param.chars().filter(c -> c == '{').count() != param.chars().filter(c -> c == '}').count()) {
                // a nested expression (":?${array[${index}]}"): the pattern stops at the first '}'
                String rest = query.substring(matcher.start());
                int open = rest.indexOf('{');
                param = "$" + rest.substring(open, closingBracket(rest, open) + 1);
            }
            found.add(param);
        }
        return List.copyOf(found);
    }

    private static int closingBracket(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}') {
                depth--;
            }
            if (depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("String doesn't have equal opening and closing brackets: " + text);
    }
}
