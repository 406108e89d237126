package io.github.dialpadwebhooks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** n tasks on n threads of their own, released at the same instant: a duplicate storm, a race. */
public final class Concurrently {

    /** One task; i: its number, 0 to n - 1. */
    public interface Task<T> {
        T call(int i) throws Exception;
    }

    private Concurrently() {
    }

    /** Runs the n tasks at once and returns their results, in task order. */
    public static <T> List<T> run(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int number = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call(number);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
