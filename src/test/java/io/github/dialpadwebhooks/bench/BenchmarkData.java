package io.github.dialpadwebhooks.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.github.dialpadwebhooks.support.Samples;
import io.github.dialpadwebhooks.support.TestDatabase;

/**
 * Realistic unprocessed events, made by PostgreSQL itself from the real Dialpad samples: per call a ringing,
 * connected, hangup and recording event (full call snapshots, ~1.3 KB each) plus one inbound SMS. The same shape as
 * the Node.js baseline's seed (5 events per cycle).
 */
final class BenchmarkData {

    private BenchmarkData() {
    }

    static void insertUnprocessed(int events, long firstCallId) {
        try (Connection c = TestDatabase.get().connect()) {
            insertUnprocessed(c, events, firstCallId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** N unprocessed events (a fifth of them calls' ringing, connected, hangup, recording; a fifth SMS) on c. */
    static void insertUnprocessed(Connection c, int events, long firstCallId) throws SQLException {
        String sql = """
                INSERT INTO webhook_events (app_id, event_type, dialpad_event_id, payload)
                SELECT 'default', t.event_type, t.event_type || ':' || (? + g) || ':' || t.state, t.payload
                FROM generate_series(0, ? - 1) AS g,
                LATERAL (SELECT ?::bigint + g AS call_id, 1731605955966 + g * 1000 AS t0) AS c,
                LATERAL (VALUES
                  ('call.ring', 'ringing', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'ringing', 'event_timestamp', c.t0, 'date_started', c.t0 - 1000)),
                  ('call.started', 'connected', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'connected', 'event_timestamp', c.t0 + 5000, 'date_started', c.t0 - 1000,
                     'date_connected', c.t0 + 4900)),
                  ('call.ended', 'hangup', CAST(? AS jsonb) || jsonb_build_object('call_id', c.call_id,
                     'state', 'hangup', 'event_timestamp', c.t0 + 65000, 'date_started', c.t0 - 1000,
                     'date_connected', c.t0 + 4900, 'date_ended', c.t0 + 64000, 'duration', 59100.25)),
                  ('call.recording.completed', 'recording', CAST(? AS jsonb) || jsonb_build_object('call_id',
                     c.call_id, 'state', 'recording', 'event_timestamp', c.t0 + 66000, 'recording_details',
                     jsonb_build_array(jsonb_build_object('id', 'r' || c.call_id, 'url',
                     'https://dialpad.example/recording/' || c.call_id, 'recording_type', 'callrecording',
                     'duration', 59000, 'start_time', c.t0 + 5000)))),
                  ('sms.received', 'pending', CAST(? AS jsonb) || jsonb_build_object('id', c.call_id + 1000000000,
                     'created_date', c.t0, 'event_timestamp', c.t0 + 400))
                ) AS t(event_type, state, payload)
                """;
        String ringing = Samples.text("call-ringing.json");
        String hangup = Samples.text("call-hangup.json");
        String sms = Samples.text("sms-inbound.json");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, firstCallId);
            ps.setInt(2, events / 5);
            ps.setLong(3, firstCallId);
            ps.setString(4, ringing);
            ps.setString(5, ringing);
            ps.setString(6, hangup);
            ps.setString(7, hangup);
            ps.setString(8, sms);
            ps.executeUpdate();
        }
    }
}
