package io.kubewizard.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubewizard images: one image a line, or a skopeo sync file; exit 2 for an invalid answers file. */
class ImagesCommandTest {

    @Test
    void plainTextIsOneImageALine() {
        Run r = Run.of("images", "-f", "single-node");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        assertEquals("""
                registry.k8s.io/kube-apiserver:v1.35.2
                registry.k8s.io/kube-controller-manager:v1.35.2
                registry.k8s.io/kube-scheduler:v1.35.2
                registry.k8s.io/kube-proxy:v1.35.2
                registry.k8s.io/coredns/coredns:v1.13.1
                registry.k8s.io/pause:3.10.1
                registry.k8s.io/etcd:3.6.6-0
                quay.io/tigera/operator:v1.42.5
                """, r.out().substring(0, r.out().indexOf("quay.io/calico/")));
        assertTrue(r.out().endsWith("quay.io/calico/whisker-backend:v3.32.2\nregistry.k8s.io/e2e-test-images/agnhost:2.53\n"), r.out());
    }

    @Test
    void skopeoFormatGroupsTheSourcesByRegistry() {
        Run r = Run.of("images", "-f", "ha-external-etcd", "--format", "skopeo");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("# kubewizard images --format skopeo: skopeo sync --src yaml --dest docker THIS-FILE MIRROR\n"
                + "registry.k8s.io:\n  images:\n    kube-apiserver:\n      - \"v1.35.2\"\n"), r.out());
        assertTrue(r.out().contains("docker.io:\n  images:\n    library/haproxy:\n      - \"3.2.25\"\n"
                + "    osixia/keepalived:\n      - \"2.0.20\"\n"), r.out());
    }

    @Test
    void anInvalidFormatIsInvalidInput() {
        assertEquals(2, Run.of("images", "-f", "single-node", "--format", "xml").code());
    }
}
