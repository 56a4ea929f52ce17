package dev.aiprogress.containers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both WAR flavours hold what their servers need and nothing more (docs/ARCHITECTURE.md; README
 * "Deploying into your server"): a second copy
 * of the JSON APIs on Payara/WildFly breaks class loading, none at all on Tomcat/Jetty breaks startup.
 */
class WarFlavoursIT {

    private static final Path DIR = Path.of(System.getProperty("aip.war.dir", "target"));

    /** ROOT.war is the Tomcat/Jetty flavour unless built with -Dflavour=payara-wildfly. */
    @Test
    void rootWar_flavourChosenAtBuild_hasItsJars() throws IOException {
        List<String> jars = libJars(DIR.resolve("ROOT.war"));
        List<String> expected = "payara-wildfly".equals(System.getProperty("aip.flavour"))
                ? List.of("ai-progress")
                : List.of("ai-progress", "jakarta.json-api", "jakarta.json.bind-api", "parsson", "yasson");
        assertEquals(expected, jars.stream().map(WarFlavoursIT::artifact).sorted().toList(), jars.toString());
    }

    @Test
    void payaraWildflyFlavour_pluginJarOnly() throws IOException {
        List<String> jars = libJars(DIR.resolve("ROOT-payara.war"));
        assertEquals(List.of("ai-progress"), jars.stream().map(WarFlavoursIT::artifact).toList(), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("jakarta.") || j.startsWith("yasson")
                || j.startsWith("parsson")), jars.toString());
    }

    @Test
    void bothFlavours_sessionCookieNamedSid() throws IOException {
        for (String war : List.of("ROOT.war", "ROOT-payara.war")) {
            try (ZipFile zip = new ZipFile(DIR.resolve(war).toFile())) {
                ZipEntry webXml = zip.getEntry("WEB-INF/web.xml");
                String text = new String(zip.getInputStream(webXml).readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.replaceAll("(?s)<!--.*?-->", "").replaceAll("\\s", "").contains("<cookie-config><name>sid</name>"), war);
            }
        }
    }

    private static List<String> libJars(Path war) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("WEB-INF/lib/".length()))
                    .sorted().toList();
        }
    }

    /** {@code yasson-3.0.4.jar} → {@code yasson}. */
    private static String artifact(String jar) {
        return jar.replaceFirst("-\\d.*$", "");
    }
}
