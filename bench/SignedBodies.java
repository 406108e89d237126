import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes N unique, realistic webhook bodies, one per line, for bench/wrk-bodies.lua:
 * {@code java bench/SignedBodies.java <count> <file> dialpad <secret>} (compact JWTs signed HS256 as Dialpad signs)
 * or {@code java bench/SignedBodies.java <count> <file> node} (the Node.js baseline's JSON envelope). Each body is a
 * call event of the samples' shape (~1.3 KB of JSON) with its own call_id.
 */
public final class SignedBodies {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        boolean node = "node".equals(args[2]);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        Mac mac = null;
        if (!node) {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(args[3].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        String template = Files.readString(Path.of("src/main/resources/samples/call-ringing.json"))
                .replaceAll("\\s*\\n\\s*", "").replace("5314479320940544", "%CALL%")
                .replace("1731605955966", "%TS%");
        long base = 6_100_000_000_000_000L + (System.currentTimeMillis() % 100_000_000L) * 10_000L;
        long t0 = System.currentTimeMillis();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                String event = template.replace("%CALL%", Long.toString(base + i)).replace("%TS%", Long.toString(t0 + i));
                if (node) {
                    out.write("{\"id\":\"evt-" + (base + i) + "\",\"event_type\":\"call.ring\",\"app_id\":\"default\","
                            + "\"payload\":" + event + "}");
                } else {
                    String input = header + "." + b64.encodeToString(event.getBytes(StandardCharsets.UTF_8));
                    out.write(input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
                }
                out.newLine();
            }
        }
    }
}
