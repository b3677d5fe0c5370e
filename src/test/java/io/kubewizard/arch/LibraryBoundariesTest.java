package io.kubewizard.arch;

import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each outside library is used by one package of the main code (docs/architecture.md): the
 * terminal UI by tui, SSH by ssh, the PKI by pki, the command line by cli, the line-mode console by
 * console, YAML by answers. A name of a library's package anywhere else in src/main/java, in an
 * import or written out in full, fails here with the file that has it.
 */
class LibraryBoundariesTest {
    static final Map<String, String> OWNER = Map.of(
            "com.googlecode.lanterna", "tui",
            "org.apache.sshd", "ssh",
            "org.slf4j", "ssh",
            "org.bouncycastle", "pki",
            "picocli", "cli",
            "org.jline", "console",
            "org.yaml.snakeyaml", "answers");

    @Test
    void everyLibraryIsUsedByItsOnePackageOnly() throws IOException {
        Path main = SystemDeps.root().resolve("src/main/java/io/kubewizard");
        Map<String, TreeSet<String>> users = new TreeMap<>();
        List<String> strays = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(main)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String pkg = main.relativize(f).getName(0).toString();
            String code = Files.readString(f);
            for (Map.Entry<String, String> lib : OWNER.entrySet()) {
                Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(lib.getKey()) + "\\.[A-Za-z]").matcher(code);
                if (!m.find()) continue;
                users.computeIfAbsent(lib.getKey(), k -> new TreeSet<>()).add(pkg);
                if (!pkg.equals(lib.getValue())) strays.add(lib.getKey() + " in " + main.relativize(f));
            }
        }
        assertEquals(List.of(), strays);
        // and each library is in use where it is said to be (a stale table would prove nothing)
        for (Map.Entry<String, String> lib : OWNER.entrySet()) {
            assertTrue(users.getOrDefault(lib.getKey(), new TreeSet<>()).contains(lib.getValue()), lib + ": " + users);
        }
    }
}
