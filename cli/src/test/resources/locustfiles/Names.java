import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Request names and errors as hostile as code can make them. */
public class Names extends User {
    static final String SURROGATE = "lone \uD800 surrogate";
    static final String CONTROLS = "two\nlines\r\tand \u001b[31mred\u001b[0m \u0007bell";

    public Names() {
        waitTime(constant(0.05));
    }

    @Task
    void odd() {
        reportRequest("custom", SURROGATE, 1, 1, null);
        reportRequest("custom", CONTROLS, 2, 1, "failed\nover two lines \uDC00");
        reportRequest("custom", "plain", 3, 1, null);
    }
}
