package dev.aiprogress.containers;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Tomcat 11 (Jakarta EE 11, Servlet 6.1): the same WAR as Tomcat 10.1. */
class Tomcat11ContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new TomcatLauncher(Path.of(System.getProperty("aip.tomcat11.home", "target/containers/tomcat11")));
    }

    /** Hot undeploy during a stream: see {@link AbstractContainerIT#checkUndeployDuringAStream}. */
    @Test
    @Order(50)
    void undeployDuringAStream_leavesNoThreadAndNoReachablePluginState() throws Exception {
        checkUndeployDuringAStream();
    }
}
