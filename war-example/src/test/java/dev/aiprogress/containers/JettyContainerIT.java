package dev.aiprogress.containers;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Standalone Jetty 12 (ee10) from jetty-home, set up as the README's guide says. */
class JettyContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new JettyLauncher(Path.of(System.getProperty("aip.jetty.home", "target/containers/jetty-home")));
    }

    @Override
    java.util.Optional<String> keepsUndeployedContext() {
        // seen in a heap dump: a live session's inactivity timer keeps its session handler, and so the
        // stopped context with its servlets and listeners, until the session times out
        return java.util.Optional.of("live sessions' inactivity timers keep the stopped context until they fire");
    }

    /** Hot undeploy during a stream: see {@link AbstractContainerIT#checkUndeployDuringAStream}. */
    @Test
    @Order(50)
    void undeployDuringAStream_leavesNoThreadAndNoReachablePluginState() throws Exception {
        checkUndeployDuringAStream();
    }

    /** SIGTERM during a stream (runs last: it stops the container); see {@link AbstractContainerIT#checkSigtermDuringAStream}. */
    @Test
    @Order(100)
    void sigtermDuringAStream_theChatCallGetsItsFailureReply() throws Exception {
        checkSigtermDuringAStream();
    }
}
