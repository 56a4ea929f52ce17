package dev.aiprogress.containers;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Tomcat 10.1 (Jakarta EE 10, Servlet 6.0): the default WAR flavour with the JSON jars. */
class Tomcat10ContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new TomcatLauncher(Path.of(System.getProperty("aip.tomcat10.home", "target/containers/tomcat10")));
    }

    /** Hot undeploy during a stream: see {@link AbstractContainerIT#checkUndeployDuringAStream}. */
    @Test
    @Order(50)
    void undeployDuringAStream_leavesNoThreadAndNoReachablePluginState() throws Exception {
        checkUndeployDuringAStream();
    }
}
