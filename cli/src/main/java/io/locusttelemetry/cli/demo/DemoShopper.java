package io.locusttelemetry.cli.demo;

import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Tag;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;
import java.util.Map;

/** The demo's user: browses the shop, looks at items, sometimes adds one to the cart. */
public class DemoShopper extends HttpUser {

    public DemoShopper() {
        waitTime(between(0.2, 1.0));
    }

    @Task(4)
    @Tag("browse")
    void index() {
        client.get("/");
    }

    @Task(2)
    @Tag("browse")
    void item() {
        try (HttpResponse r = client.get("/api/items/" + random(1, 100), o -> o.name("/api/items/[id]").catchResponse())) {
            if (r.ok() && !r.json().path("in_stock").asBoolean()) {
                r.failure("item out of stock");
            }
        }
    }

    @Task(1)
    @Tag("slow")
    void search() {
        client.get("/slow", o -> o.query("q", "socks").name("/slow"));
    }

    @Task(2)
    void flaky() {
        client.get("/flaky");
    }

    @Task(1)
    @Tag("cart")
    void addToCart() {
        client.postJson("/api/cart", Map.of("item", random(1, 100), "quantity", 1));
    }
}
