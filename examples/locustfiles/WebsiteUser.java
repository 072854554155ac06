import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** The first locustfile of the README: a visitor who mostly reads the home page. */
public class WebsiteUser extends HttpUser {
    public WebsiteUser() {
        waitTime(between(1, 3));
    }

    @Task(3)
    void index() {
        client.get("/");
    }

    @Task
    void item() {
        client.get("/item?id=" + random(1, 100), r -> r.name("/item"));
    }
}
