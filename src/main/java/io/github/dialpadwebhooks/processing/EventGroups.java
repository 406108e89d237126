package io.github.dialpadwebhooks.processing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.reifier.language.ExpressionReifier;
import org.apache.camel.support.DefaultExchange;

/**
 * Splits a claimed batch for process-webhook-events into groups: events whose types take the same branch of the
 * router's choice (route-event-group) form one group, so one statement per projection handles, say, every call event
 * of the batch (a call's ringing, connected and hangup events merge in memory and its row is written once). The
 * branch of a type is found by evaluating the router's {@code when} conditions with the {@code eventType} header set
 * to it, so whatever the router says is what the grouping follows; without the router (or its choice), each type is
 * its own group.
 */
public final class EventGroups {

    static final String ROUTER_ROUTE_ID = "route-event-group";
    private static final int MAX_REMEMBERED_TYPES = 1_000;

    private final CamelContext context;
    private final Map<String, String> branchOfType = new ConcurrentHashMap<>();
    private volatile Router router;

    private record Router(ChoiceDefinition choice, List<Predicate> conditions) {
    }

    public EventGroups(CamelContext context) {
        this.context = context;
    }

    /**
     * The claimed rows ({@code id}, {@code event_type}, {@code received_at} when known) grouped by the router's branch,
     * in order of appearance.
     */
    public List<EventGroup> byRoute(List<Map<String, Object>> rows) {
        Router current = router();
        Map<String, List<Map<String, Object>>> rowsByBranch = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            rowsByBranch.computeIfAbsent(branchOf(current, (String) row.get("event_type")), b -> new ArrayList<>())
                    .add(row);
        }
        return rowsByBranch.values().stream().map(this::all).toList();
    }

    /**
     * Every claimed row as one group: its ids (to release the claims if the batch fails as a whole) and its
     * received_at bounds (for record_outcomes and release_batch).
     */
    public EventGroup all(List<Map<String, Object>> rows) {
        return new EventGroup(rows.stream().map(r -> uuid(r.get("id"))).toList(),
                rows.stream().map(r -> (String) r.get("event_type")).toList(),
                rows.stream().map(BatchOutcome::receivedAt).toList());
    }

    /** "when-N" for the first condition the type meets, "otherwise", or "type:T" when there is no router. */
    String branchOf(String type) {
        return branchOf(router(), type);
    }

    private String branchOf(Router current, String type) {
        if (current == null) {
            return "type:" + type;
        }
        if (branchOfType.size() > MAX_REMEMBERED_TYPES) {
            // senders choose types (envelopes): the memory stays bounded whatever they send
            branchOfType.clear();
        }
        return branchOfType.computeIfAbsent(type, t -> evaluate(current, t));
    }

    private String evaluate(Router current, String type) {
        Exchange probe = new DefaultExchange(context);
        probe.getMessage().setHeader("eventType", type);
        probe.getMessage().setBody(new EventGroup(type, List.of(new UUID(0, 0))));
        for (int i = 0; i < current.conditions().size(); i++) {
            if (current.conditions().get(i).matches(probe)) {
                return "when-" + i;
            }
        }
        return "otherwise";
    }

    /** The router's choice and its conditions, read again when the route is replaced (e.g. routes reloaded). */
    private Router router() {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(ROUTER_ROUTE_ID);
        ChoiceDefinition choice = route == null ? null : findChoice(route.getOutputs());
        Router current = router;
        if (choice == null) {
            router = null;
            return null;
        }
        if (current == null || current.choice() != choice) {
            List<Predicate> conditions = new ArrayList<>();
            for (WhenDefinition when : choice.getWhenClauses()) {
                Predicate predicate = ExpressionReifier.reifier(context, when.getExpression()).createPredicate();
                predicate.init(context);
                conditions.add(predicate);
            }
            current = new Router(choice, conditions);
            branchOfType.clear();
            router = current;
        }
        return current;
    }

    private static ChoiceDefinition findChoice(List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof ChoiceDefinition choice) {
                return choice;
            }
        }
        return null;
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID u ? u : UUID.fromString(value.toString());
    }
}
