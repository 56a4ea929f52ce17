package dev.aiprogress.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link ContainerQuirks}: the container-facing half is a plain stand-in of {@link AsyncContext}
 * that records {@code addListener} calls, as Payara would accept them only during the first dispatch.
 */
class ContainerQuirksTest {

    private final List<AsyncListener> added = new ArrayList<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final ServletRequest request = (ServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });
    private final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "addListener" -> {
                    added.add((AsyncListener) args[0]);
                    yield null;
                }
                case "getRequest" -> request;
                case "getResponse" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void addAsyncListener_afterReserve_addsNothingLaterAndForwardsEvents() throws Exception {
        ContainerQuirks.reserveAsyncListener(async);
        assertEquals(1, added.size());

        List<String> seen = new ArrayList<>();
        AsyncListener reply = new Recording(seen);
        ContainerQuirks.addAsyncListener(async, reply);

        assertEquals(1, added.size(), "no addListener after the first dispatch");
        assertNotSame(reply, added.get(0));
        AsyncEvent event = new AsyncEvent(async);
        added.get(0).onTimeout(event);
        added.get(0).onError(event);
        added.get(0).onComplete(event);
        assertEquals(List.of("timeout", "error", "complete"), seen);
        assertEquals(Map.of(), attributes, "the slot is taken once");
    }

    @Test
    void addAsyncListener_withoutReserve_addsTheListenerItself() {
        AsyncListener reply = new Recording(new ArrayList<>());
        ContainerQuirks.addAsyncListener(async, reply);
        assertEquals(1, added.size());
        assertSame(reply, added.get(0));
    }

    @Test
    void reservedSlot_eventsBeforeTheListenerExists_areDropped() throws Exception {
        ContainerQuirks.reserveAsyncListener(async);
        added.get(0).onTimeout(new AsyncEvent(async));
        List<String> seen = new ArrayList<>();
        ContainerQuirks.addAsyncListener(async, new Recording(seen));
        assertEquals(List.of(), seen);
    }

    private record Recording(List<String> seen) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            seen.add("complete");
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            seen.add("timeout");
        }

        @Override
        public void onError(AsyncEvent event) {
            seen.add("error");
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            seen.add("start");
        }
    }
}
