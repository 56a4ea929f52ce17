package dev.aiprogress.containers;

import java.nio.file.Path;

/**
 * Payara Micro 6 (Jakarta EE 10): the plugin-only WAR flavour, users in the file realm. Payara Micro
 * deploys at boot and has no deployment directory to undeploy from, so the undeploy check is not declared here.
 */
class PayaraMicroContainerIT extends AbstractContainerIT {
    @Override
    ContainerLauncher launcher() {
        return new PayaraMicroLauncher(Path.of(System.getProperty("aip.payara.jar", "target/containers/payara-micro.jar")));
    }
}
