package io.kubewizard.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KubeconfigsTest {
    @TempDir Path tmp;

    @Test
    void theCurrentContextTakesTheClustersName() {
        assertEquals("""
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: Y2EK
                    server: https://10.0.0.100:6443
                  name: prod
                contexts:
                - context:
                    cluster: prod
                    user: kubernetes-admin
                  name: prod
                current-context: prod
                kind: Config
                preferences: {}
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: Y2VydAo=
                    client-key-data: a2V5Cg==
                """, Kubeconfigs.renameContext(FakeCluster.adminConf("prod"), "prod"));
    }

    @Test
    void whatIsNoKubeconfigIsSaidSo() {
        assertEquals("not a kubeconfig (kind: Config)", assertThrows(IllegalArgumentException.class,
                () -> Kubeconfigs.renameContext("kind: Pod\n", "x")).getMessage());
        assertEquals("its current context 'gone' is not among its contexts", assertThrows(IllegalArgumentException.class,
                () -> Kubeconfigs.renameContext("kind: Config\ncurrent-context: gone\ncontexts: []\n", "x")).getMessage());
        assertEquals("it already has another context named 'x'", assertThrows(IllegalArgumentException.class,
                () -> Kubeconfigs.renameContext("kind: Config\ncurrent-context: a\ncontexts:\n- name: a\n- name: x\n", "x"))
                .getMessage());
    }

    @Test
    void fetchedFilesArePrivate() throws Exception {
        FetchedFiles fetched = new FetchedFiles(tmp, "prod");
        assertEquals(null, fetched.kubeconfig());
        String kubeconfig = fetched.save("cp1", "/etc/kubernetes/admin.conf", FakeCluster.adminConf("prod").getBytes());
        assertEquals(tmp.resolve("kubeconfig").toString(), kubeconfig);
        assertEquals(kubeconfig, fetched.kubeconfig());
        String other = fetched.save("cp1", "/var/log/x.log", new byte[] {1, 2, (byte) 0xff});
        assertEquals(tmp.resolve("fetched/cp1/var/log/x.log").toString(), other);
        assertEquals(3, Files.readAllBytes(Path.of(other)).length);
        for (String p : new String[] {kubeconfig, other}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(p))));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("fetched/cp1/var"))));
        assertThrows(IllegalArgumentException.class, () -> fetched.save("cp1", "/../../escape", new byte[0]));
    }
}
