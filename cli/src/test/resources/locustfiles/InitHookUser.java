import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.OnInit;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ClusterUser with start-up code: on every role it says so, and it handles the telemetry's set_metadata too. */
public class InitHookUser extends HttpUser {
    private static final Logger log = LoggerFactory.getLogger("locustfile");

    public InitHookUser() {
        waitTime(constant(0.05));
    }

    @OnInit
    static void setUp(Environment environment) {
        log.info("INIT HOOK on {} before init", environment.runner().role());
        environment.events().init.addListener(env -> log.info("INIT LISTENER on {}", env.runner().role()));
        environment.runner().registerMessage("set_metadata", (env, msg) -> log.info("HOOK GOT set_metadata {}", msg.data()));
    }

    @Task
    void index() {
        try (HttpResponse r = client.get("/?hook")) {
            r.status();
        }
    }
}
