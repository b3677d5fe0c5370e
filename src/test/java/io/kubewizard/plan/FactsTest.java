package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FactsTest {

    static final List<String> COMMANDS = List.of("cat /etc/os-release", "uname -m", "nproc", "cat /proc/meminfo",
            "cat /proc/swaps", "hostname", "cat /sys/class/net/*/address",
            "cat /sys/class/dmi/id/product_uuid 2>/dev/null || true", "ss -Htlnu", Facts.IP_FORWARD,
            Facts.BINARIES_PROBE);

    @Test
    void theReadingRunsTheCommandsItParsesInTheirOrder() {
        assertEquals(COMMANDS, Facts.READING.commands());
    }

    static List<String> outputs(String osRelease, String swaps, String ss, String uuid) {
        return new ArrayList<>(List.of(osRelease, "aarch64\n", "2\n",
                "MemTotal:        1998744 kB\nMemFree:          123456 kB\nMemAvailable:    1500000 kB\n",
                "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" + swaps, "node-a\n",
                "00:00:00:00:00:00\n52:54:00:AB:CD:01\n52:54:00:ab:cd:01\n02:42:ac:11:00:02\n", uuid, ss, "1\n",
                "awk\ngrep\nsed\nss\napt-get\n"));
    }

    @Test
    void aDebianHostAsItsCommandsPrintIt() {
        String ss = """
                udp   UNCONN 0      0          127.0.0.53%lo:53         0.0.0.0:*
                tcp   LISTEN 0      4096             0.0.0.0:22         0.0.0.0:*
                tcp   LISTEN 0      4096       127.0.0.53%lo:53         0.0.0.0:*
                tcp   LISTEN 0      4096                [::]:6443          [::]:*
                tcp   LISTEN 0      128                    *:10250            *:*
                """;
        Facts f = Facts.parse(outputs("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                        + "VERSION_ID=\"12\"\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n",
                "/swap.img                               file\t\t2097148\t\t0\t\t-2\n", ss,
                "EC2A4C1E-0BF6-2B35-5D1C-4C9F4F1B3F31\n"));
        assertEquals(new Facts("debian", List.of(), "Debian GNU/Linux 12 (bookworm)", OsFamily.DEB, "aarch64", 2, 1998744,
                List.of("/swap.img"), "node-a", List.of("52:54:00:ab:cd:01", "02:42:ac:11:00:02"),
                "EC2A4C1E-0BF6-2B35-5D1C-4C9F4F1B3F31", new java.util.TreeSet<>(List.of(22, 53, 6443, 10250)), "1",
                List.of("awk", "grep", "sed", "ss", "apt-get")), f);
        assertEquals(1951, f.memoryMb());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ID=ubuntu\\nID_LIKE=debian                          | DEB",
            "ID=\"rocky\"\\nID_LIKE=\"rhel centos fedora\"          | RPM",
            "ID=\"almalinux\"\\nID_LIKE=\"rhel centos fedora\"      | RPM",
            "ID=\"rhel\"                                         | RPM",
            "ID=fedora                                         | RPM",
            "ID=\"centos\"\\nID_LIKE=\"rhel fedora\"                | RPM",
            "ID=linuxmint\\nID_LIKE=\"ubuntu debian\"             | DEB",
            "ID=arch                                           | ",
            "ID=opensuse-leap\\nID_LIKE=\"suse opensuse\"         | "})
    void thePackageFamilyComesFromIdAndIdLike(String osRelease, OsFamily family) {
        Facts f = Facts.parse(outputs(osRelease.replace("\\n", "\n"), "", "", "\n"));
        assertEquals(family, f.family());
    }

    @Test
    void anEmptyProductUuidIsUnknownNotAnError() {
        Facts f = Facts.parse(outputs("ID=debian\n", "", "", "\n"));
        assertEquals("", f.productUuid());
        assertEquals(List.of(), f.swaps());
        assertEquals("debian", f.osName(), "without PRETTY_NAME the id stands for the name");
    }

    @Test
    void outputThatMakesNoSenseNamesItsCommand() {
        List<String> out = outputs("ID=debian\n", "", "", "\n");
        out.set(2, "many\n");
        assertEquals("'nproc' printed 'many', not a number",
                assertThrows(IllegalArgumentException.class, () -> Facts.parse(out)).getMessage());
        List<String> noMem = outputs("ID=debian\n", "", "", "\n");
        noMem.set(3, "MemFree: 1 kB\n");
        assertEquals("/proc/meminfo has no MemTotal line",
                assertThrows(IllegalArgumentException.class, () -> Facts.parse(noMem)).getMessage());
        assertEquals("the facts step ran 1 commands, not 11", assertThrows(IllegalArgumentException.class,
                () -> Facts.parse(List.of("ID=debian\n"))).getMessage());
    }

    @Test
    void factsSurviveTheJournal() {
        Facts f = Facts.parse(outputs("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", "",
                "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n", "abc\n"));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> back = (java.util.Map<String, Object>) Json.parse(Json.write(f.toJson()));
        assertEquals(f, Facts.fromJson(back));
    }
}
