package org.meshfold.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.meshfold.api.ControlMessages.Error;
import java.util.function.Supplier;
import org.meshfold.daemon.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the API key, then routes each request by path. Runs on the server's handler threads. */
final class ApiHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json; charset=utf-8";

    private final ApiKey key;
    private final Supplier<NodeStatus> status;
    private final EventStream events;
    private final ControlRoutes controls;

    ApiHandler(ApiKey key, Supplier<NodeStatus> status, EventStream events, ControlRoutes controls) {
        this.key = key;
        this.status = status;
        this.events = events;
        this.controls = controls;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            log.warn("API request {} failed", exchange.getRequestURI(), e);
            send(exchange, 500, JSON, Json.write(new Error("internal error: " + e.getMessage() + " (see the daemon log)")));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (!key.matches(presentedKey(exchange))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"meshfold\"");
            send(exchange, 401, JSON, Json.write(new Error(
                    "missing or wrong API key: send the key from the home's api.key file in the X-API-Key header")));
            return;
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (ControlRoutes.serves(method, path)) {
            ControlRoutes.Answer answer = controls.serve(exchange);
            if (answer.body() == null) {
                exchange.sendResponseHeaders(answer.status(), -1);
                exchange.close();
            } else {
                send(exchange, answer.status(), JSON, Json.write(answer.body()));
            }
            return;
        }
        Optional<String> control = ControlRoutes.methodFor(path);
        if (control.isPresent() || !method.equals("GET")) {
            String allowed = control.orElse(path.equals(ControlRoutes.FOLDERS) ? "GET, POST" : "GET");
            exchange.getResponseHeaders().set("Allow", allowed);
            send(exchange, 405, JSON, Json.write(new Error("only " + allowed + " is supported here")));
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/rest/status" -> send(exchange, 200, JSON, Json.write(status.get()));
            case "/rest/folders" -> send(exchange, 200, JSON, Json.write(Map.of("folders", status.get().folders())));
            case "/rest/devices" -> send(exchange, 200, JSON, Json.write(Map.of("devices", status.get().devices())));
            case "/rest/events" -> events.subscribe(exchange);
            case "/metrics" -> send(exchange, 200, Metrics.CONTENT_TYPE, Metrics.render(status.get()));
            default -> send(exchange, 404, JSON, Json.write(new Error("no such endpoint: "
                    + exchange.getRequestURI().getPath() + " (see /rest/status, /rest/folders, /rest/devices, "
                    + "/rest/events, /metrics, POST /rest/invites, POST /rest/join, POST /rest/folders, "
                    + "DELETE /rest/devices/ID)")));
        }
    }

    private static String presentedKey(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (header != null) {
            return header;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7);
        }
        return null;
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
