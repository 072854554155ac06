import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.Threshold;

/** A locustfile compiled on the fly by LoadTest.locustfile. */
@Threshold("requests>0")
public class QuickShopper extends HttpUser {
    public QuickShopper() {
        waitTime(constant(0.05));
    }

    @Task(3)
    void index() {
        client.get("/");
    }

    @Task
    void item() {
        client.get("/api/items/" + random(1, 50), r -> r.name("/api/items/[id]"));
    }
}
