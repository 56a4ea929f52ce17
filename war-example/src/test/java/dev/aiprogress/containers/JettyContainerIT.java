package dev.aiprogress.containers;

import java.nio.file.Path;

/** Standalone Jetty 12 (ee10) from jetty-home, set up as the README's guide says. */
class JettyContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new JettyLauncher(Path.of(System.getProperty("aip.jetty.home", "target/containers/jetty-home")));
    }

    @Override
    boolean checksSigtermDuringStream() {
        return true;
    }
}
