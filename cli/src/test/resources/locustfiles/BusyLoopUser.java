import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Spins the CPU in every task: more of them than cores keep the generator saturated on purpose. */
public class BusyLoopUser extends User {
    public BusyLoopUser() {
        waitTime(constant(0.01));
    }

    @Task
    void spin() {
        long until = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() < until) {
            x += System.nanoTime() & 7;
        }
        reportRequest("cpu", "spin", 50, x & 1, null);
    }
}
