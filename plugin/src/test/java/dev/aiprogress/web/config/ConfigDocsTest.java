package dev.aiprogress.web.config;

import dev.aiprogress.config.Durations;
import dev.aiprogress.config.Key;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key table ({@link Config#KEYS}) is the one truth; the README's configuration table and the
 * example web.xml are held to it: every key documented, with the same default, and no key the
 * plugin does not read.
 */
class ConfigDocsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern KEY = Pattern.compile("ai-progress\\.[a-z0-9<>.-]*[a-z0-9>]");

    /** README rows: documented key → its default cell (one part of a {@code a / b} cell). */
    private static Map<String, String> readmeTable() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Configuration\n");
        assertTrue(start >= 0, "README has a Configuration section");
        int end = readme.indexOf("\n## ", start + 5);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end).split("\n")) {
            if (!line.startsWith("| `ai-progress.")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ");
            assertEquals(3, cells.length, "key | meaning | default: " + line);
            List<String> names = names(cells[0].trim());
            String[] defaults = cells[2].trim().split(" / ");
            assertEquals(names.size(), defaults.length, "one default per key in: " + line);
            for (int i = 0; i < names.size(); i++) {
                rows.put(names.get(i), defaults[i].trim());
            }
        }
        return rows;
    }

    /** {@code `a.b.c` / `.d`} → a.b.c, a.b.d: a relative name replaces as many trailing segments as it has. */
    private static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        String first = null;
        for (String part : cell.split(" / ")) {
            String name = part.trim().replace("`", "");
            if (name.startsWith(".")) {
                int segments = name.split("\\.").length - 1;
                String base = first;
                for (int i = 0; i < segments; i++) {
                    base = base.substring(0, base.lastIndexOf('.'));
                }
                name = base + name;
            } else {
                first = name;
            }
            names.add(name);
        }
        return names;
    }

    private static boolean sameDefault(String documented, Key<?> key) {
        String d = key.documentedDefault();
        // a literal, or a literal with a remark after it ("`leading` (or `anywhere`)"), or prose as declared
        return documented.equals(d) || documented.equals("`" + d + "`") || documented.startsWith("`" + d + "` (")
                || sameDuration(documented.replace("`", ""), d);
    }

    /** {@code 60s} and {@code 1m} are one default. */
    private static boolean sameDuration(String documented, String declared) {
        try {
            return Durations.parse("doc", documented).equals(Durations.parse("doc", declared));
        } catch (RuntimeException notDurations) {
            return false;
        }
    }

    @Test
    void readme_documentsEveryKeyOnce_withItsDefault_andNoOther() throws IOException {
        Map<String, String> readme = readmeTable();
        List<String> problems = new ArrayList<>();
        for (Key<?> key : Config.KEYS) {
            String documented = readme.get(key.name());
            if (documented == null) {
                problems.add(key.name() + ": not in the README table");
            } else if (!sameDefault(documented, key)) {
                problems.add(key.name() + ": README default " + documented + ", declared " + key.documentedDefault());
            }
        }
        TreeSet<String> declared = new TreeSet<>(Config.KEYS.stream().map(Key::name).toList());
        readme.keySet().stream().filter(name -> !declared.contains(name))
                .forEach(name -> problems.add(name + ": in the README table, but not read by the plugin"));
        assertEquals(List.of(), problems);
    }

    @Test
    void webXml_namesOnlyKnownKeys_andItsDefaultsAgree() throws IOException {
        String xml = Files.readString(ROOT.resolve("war-example/src/main/webapp/WEB-INF/web.xml"), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        Matcher m = KEY.matcher(xml);
        while (m.find()) {
            String name = m.group();
            if (name.endsWith(".jar")) {
                continue; // the plugin's jar file, not a key
            }
            if (!Config.isKnown(name)) {
                problems.add(name + ": named in web.xml, but not read by the plugin");
            }
        }
        // "(default X)" in a comment: about the last key named before it in the comment, else the next param
        Matcher comment = Pattern.compile("<!--(.*?)-->", Pattern.DOTALL).matcher(xml);
        while (comment.find()) {
            String text = comment.group(1);
            Matcher d = Pattern.compile("\\(default ([^)\\s]+)\\)").matcher(text);
            while (d.find()) {
                Optional<String> name = lastKey(text.substring(0, d.start()))
                        .or(() -> nextParam(xml, comment.end()));
                Optional<Key<?>> key = name.flatMap(ConfigDocsTest::declared);
                if (key.isEmpty()) {
                    problems.add("web.xml (default " + d.group(1) + "): no key found for it");
                } else if (!d.group(1).equals(key.get().documentedDefault())
                        && !sameDuration(d.group(1), key.get().documentedDefault())) {
                    problems.add(name.get() + ": web.xml default " + d.group(1) + ", declared "
                            + key.get().documentedDefault());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Optional<String> lastKey(String text) {
        Matcher m = KEY.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return Optional.ofNullable(last);
    }

    private static Optional<String> nextParam(String xml, int from) {
        Matcher m = Pattern.compile("<param-name>(ai-progress\\.[^<]+)</param-name>").matcher(xml);
        return m.find(from) ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<Key<?>> declared(String name) {
        return Config.KEYS.stream().filter(k -> k.matches(name)).findFirst();
    }
}
