package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.testsupport.MirrorAnswers;
import io.kubewizard.testsupport.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What kubewizard images lists: kubeadm's set for the version, the CNI's, the load balancer's; pulled through mirrors. */
class ImagesTest {

    @Test
    void withoutMirrorsEveryImageIsPulledByItsPublicName() {
        var spec = AnswersLoader.parse("ha-stacked.yaml", Presets.text("ha-stacked")).spec();
        List<Images.Image> images = Images.of(spec);
        assertEquals(List.of("registry.k8s.io/kube-apiserver:v1.35.2", "registry.k8s.io/kube-controller-manager:v1.35.2",
                "registry.k8s.io/kube-scheduler:v1.35.2", "registry.k8s.io/kube-proxy:v1.35.2",
                "registry.k8s.io/coredns/coredns:v1.13.1", "registry.k8s.io/pause:3.10.1", "registry.k8s.io/etcd:3.6.6-0"),
                images.subList(0, 7).stream().map(Images.Image::pulled).toList());
        assertEquals("ghcr.io/kube-vip/kube-vip:v1.0.3", images.get(images.size() - 2).pulled());
        assertEquals("registry.k8s.io/e2e-test-images/agnhost:2.53", images.get(images.size() - 1).pulled());
        assertTrue(images.stream().allMatch(i -> i.source().equals(i.pulled())));
    }

    @Test
    void aRegistryMirrorRenamesWhatIsPulledAndSkopeoSyncsTheSources(@TempDir Path dir) {
        var spec = AnswersLoader.parse("single-node.yaml",
                MirrorAnswers.preset("single-node", "containerd", "flannel", dir)).spec();
        List<Images.Image> images = Images.of(spec);
        assertEquals(List.of(
                new Images.Image("registry.k8s.io/kube-apiserver:v1.35.2", "harbor.corp.example/k8s/kube-apiserver:v1.35.2"),
                new Images.Image("registry.k8s.io/kube-controller-manager:v1.35.2", "harbor.corp.example/k8s/kube-controller-manager:v1.35.2"),
                new Images.Image("registry.k8s.io/kube-scheduler:v1.35.2", "harbor.corp.example/k8s/kube-scheduler:v1.35.2"),
                new Images.Image("registry.k8s.io/kube-proxy:v1.35.2", "harbor.corp.example/k8s/kube-proxy:v1.35.2"),
                new Images.Image("registry.k8s.io/coredns/coredns:v1.13.1", "harbor.corp.example/k8s/coredns/coredns:v1.13.1"),
                new Images.Image("registry.k8s.io/pause:3.10.1", "harbor.corp.example/k8s/pause:3.10.1"),
                new Images.Image("registry.k8s.io/etcd:3.6.6-0", "harbor.corp.example/k8s/etcd:3.6.6-0"),
                new Images.Image("ghcr.io/flannel-io/flannel:v0.27.4", "registry.lab.example:5000/ghcr/flannel-io/flannel:v0.27.4"),
                new Images.Image("ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1",
                        "registry.lab.example:5000/ghcr/flannel-io/flannel-cni-plugin:v1.8.0-flannel1"),
                new Images.Image("registry.k8s.io/e2e-test-images/agnhost:2.53",
                        "harbor.corp.example/k8s/e2e-test-images/agnhost:2.53")), images);
        assertEquals("""
                # kubewizard images --format skopeo: skopeo sync --src yaml --dest docker THIS-FILE MIRROR
                registry.k8s.io:
                  images:
                    kube-apiserver:
                      - "v1.35.2"
                    kube-controller-manager:
                      - "v1.35.2"
                    kube-scheduler:
                      - "v1.35.2"
                    kube-proxy:
                      - "v1.35.2"
                    coredns/coredns:
                      - "v1.13.1"
                    pause:
                      - "3.10.1"
                    etcd:
                      - "3.6.6-0"
                    e2e-test-images/agnhost:
                      - "2.53"
                ghcr.io:
                  images:
                    flannel-io/flannel:
                      - "v0.27.4"
                    flannel-io/flannel-cni-plugin:
                      - "v1.8.0-flannel1"
                """, Images.skopeoSync(images));
        assertEquals("haproxy", Images.split("haproxy:3")[1].replace("library/", "").replace(":3", ""));
        assertEquals("hub-mirror.corp.example/library/haproxy:3.2.25", Images.pulled(spec, "haproxy:3.2.25"));
    }
}
