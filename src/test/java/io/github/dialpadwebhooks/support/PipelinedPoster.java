package io.github.dialpadwebhooks.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Posts many small requests fast, for tests that need volume rather than a realistic client: a few kept-alive
 * connections, each with up to {@code window} requests pipelined, a reader thread per connection counting the
 * status codes. Much lighter on the test JVM than one HttpClient exchange per request.
 */
public final class PipelinedPoster {

    /** A request: its path and body. */
    public record Request(String path, byte[] body) {
    }

    private PipelinedPoster() {
    }

    /** Sends {@code count} requests over {@code connections} connections; the number answered with each status. */
    public static int[] post(int port, int count, int connections, int window, IntFunction<Request> requests)
            throws Exception {
        int[] statuses = new int[600];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(60_000);
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 65_536);
                    Semaphore outstanding = new Semaphore(window);
                    AtomicInteger sent = new AtomicInteger();
                    AtomicInteger done = new AtomicInteger();
                    java.util.concurrent.atomic.AtomicBoolean finishedSending =
                            new java.util.concurrent.atomic.AtomicBoolean();
                    Thread reader = new Thread(() -> {
                        try {
                            while (true) {
                                if (finishedSending.get() && done.get() == sent.get()) {
                                    return;
                                }
                                int status = readResponse(in);
                                synchronized (statuses) {
                                    statuses[status]++;
                                }
                                done.incrementAndGet();
                                outstanding.release();
                            }
                        } catch (IOException e) {
                            if (!(finishedSending.get() && done.get() == sent.get())) {
                                failures.add(e);
                            }
                        }
                    });
                    reader.start();
                    for (int i; (i = next.getAndIncrement()) < count;) {
                        Request request = requests.apply(i);
                        outstanding.acquire();
                        out.write(("POST " + request.path() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                + "application/json\r\nContent-Length: " + request.body().length + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(request.body());
                        sent.incrementAndGet();
                        if (outstanding.availablePermits() == 0 || next.get() >= count) {
                            out.flush();
                        }
                    }
                    out.flush();
                    finishedSending.set(true);
                    // every answer is in: end the reader's last (blocked) read
                    outstanding.acquire(window);
                    socket.shutdownInput();
                    reader.join();
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "pipelined-poster-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return statuses;
    }

    /** Reads one response (status line, headers, Content-Length or chunked body); its status code. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header; !(header = line(in)).isEmpty();) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).trim(), 16)) > 0;) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        for (long left = n; left > 0;) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b; (b = in.read()) != -1;) {
            if (b == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            s.append((char) b);
        }
        return s.length() == 0 ? null : s.toString();
    }
}
