package dev.aiprogress.containers;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** WildFly (Jakarta EE 10/11): the plugin-only WAR flavour, users in ApplicationRealm. */
class WildFlyContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new WildFlyLauncher(Path.of(System.getProperty("aip.wildfly.home", "target/containers/wildfly")));
    }

    @Override
    java.util.Optional<String> keepsUndeployedContext() {
        // seen in a heap dump: a parked worker thread's stack slot holds the last task it ran (Undertow's
        // dispatch of a read listener), so that request's listener, and the class loader, stay until the
        // thread runs another task; the listeners drop their references to the plugin when their request ends
        return java.util.Optional.of("an idle worker thread keeps the last task it ran");
    }

    /** Hot undeploy during a stream: see {@link AbstractContainerIT#checkUndeployDuringAStream}. */
    @Test
    @Order(50)
    void undeployDuringAStream_leavesNoThreadAndNoReachablePluginState() throws Exception {
        checkUndeployDuringAStream();
    }
}
