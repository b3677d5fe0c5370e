package io.kubewizard.run;

import io.kubewizard.plan.Json;
import io.kubewizard.plan.NodeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The run directory's record of the earliest expiry, and the warning later runs print from it. */
class ExpiryRecordTest {
    @TempDir Path tmp;

    static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void theEarliestIsRecordedAndWarnedAboutUnder120Days() throws Exception {
        RunDirectory dir = new RunDirectory(tmp).create();
        String[] later = io.kubewizard.pki.LiveCertsTestAccess.pems(3000, 300);
        String[] sooner = io.kubewizard.pki.LiveCertsTestAccess.pems(3000, 130);
        ExpiryRecord.save(dir, Map.of(
                "cp1", Map.of("certificates", List.of(new NodeCertificates.Found("/etc/kubernetes/pki/apiserver.crt",
                        NodeCertificates.Kind.PKI, later[1]))),
                "cp2", Map.of("certificates", List.of(new NodeCertificates.Found("/etc/kubernetes/admin.conf",
                        NodeCertificates.Kind.KUBECONFIG, sooner[1])))), NOW);
        Path file = tmp.resolve(ExpiryRecord.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<?, ?> record = (Map<?, ?>) Json.parse(Files.readString(file));
        assertEquals(2L, ((Number) record.get("certificates")).longValue());
        assertEquals("cp2", ((Map<?, ?>) record.get("earliest")).get("host"));
        assertNull(ExpiryRecord.warning(dir, NOW), "130 days: not near yet");
        assertEquals("the certificate /etc/kubernetes/admin.conf on cp2 expires in 119 days (2027-04-11T01:00:00Z, as read on "
                + "2026-12-02T00:00:00Z): renew it with kubewizard certs renew, and see kubewizard certs --live",
                ExpiryRecord.warning(dir, NOW.plus(Duration.ofDays(11))));
        assertEquals("the certificate /etc/kubernetes/admin.conf on cp2 expired 9 days ago (2027-04-11T01:00:00Z, as read on "
                + "2026-12-02T00:00:00Z): renew it with kubewizard certs renew, and see kubewizard certs --live",
                ExpiryRecord.warning(dir, NOW.plus(Duration.ofDays(139))));
    }

    @Test
    void withoutARecordOrWithNothingReadThereIsNoWarning() throws Exception {
        RunDirectory dir = new RunDirectory(tmp).create();
        ExpiryRecord.save(dir, Map.of("cp1", Map.of("facts", "x")), NOW);
        assertEquals(false, Files.exists(tmp.resolve(ExpiryRecord.FILE)));
        assertNull(ExpiryRecord.warning(dir, NOW));
    }
}
