package dev.aiprogress.containers;

import java.nio.file.Path;

/** WildFly (Jakarta EE 10/11): the plugin-only WAR flavour, users in ApplicationRealm. */
class WildFlyContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new WildFlyLauncher(Path.of(System.getProperty("aip.wildfly.home", "target/containers/wildfly")));
    }
}
