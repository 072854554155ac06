package io.locusttelemetry.engine;

import io.locusttelemetry.engine.http.HttpSession;

/**
 * A user that makes HTTP requests with its own {@link #client}: its own keep-alive connections
 * and cookies, every request timed and reported.
 *
 * <pre>{@code
 * public class WebsiteUser extends HttpUser {
 *     public WebsiteUser() { waitTime(between(1, 3)); }
 *     @Task(3) void index() { client.get("/"); }
 *     @Task void item() { client.get("/item?id=" + random(1, 100), r -> r.name("/item")); }
 * }
 * }</pre>
 */
public abstract class HttpUser extends User {
    /** This user's HTTP client. */
    protected final HttpSession client = new HttpSession(this);

    protected HttpUser() {}

    /** Closes this user's connections. */
    @Override
    final void closeResources() {
        client.close();
    }
}
