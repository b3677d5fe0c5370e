package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.PkiFiles;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where render places the generated PKI: each host only what kubeadm needs there. */
class PkiFilesTest {

    @TempDir
    Path dir;

    private static List<String> placed(List<RenderedFile> files, String host) {
        return files.stream().filter(f -> f.host().equals(host))
                .map(f -> f.path() + " " + f.modeString() + (f.secret() ? " secret" : "")).toList();
    }

    @Test
    void externalEtcdKubewizardPki() throws Exception {
        ClusterSpec spec = Specs.external("ECDSA-P256");
        PkiMaterial pki = ClusterPki.ensure(spec, new PkiStore(dir), Specs.CLOCK);
        List<RenderedFile> files = PkiFiles.files(spec, pki);
        assertEquals(List.of(
                "/etc/kubernetes/admin.conf 0600 secret",
                "/etc/kubernetes/controller-manager.conf 0600 secret",
                "/etc/kubernetes/kubelet.conf 0600 secret",
                "/etc/kubernetes/pki/apiserver-etcd-client.crt 0644",
                "/etc/kubernetes/pki/apiserver-etcd-client.key 0600 secret",
                "/etc/kubernetes/pki/apiserver-kubelet-client.crt 0644",
                "/etc/kubernetes/pki/apiserver-kubelet-client.key 0600 secret",
                "/etc/kubernetes/pki/apiserver.crt 0644",
                "/etc/kubernetes/pki/apiserver.key 0600 secret",
                "/etc/kubernetes/pki/ca.crt 0644",
                "/etc/kubernetes/pki/ca.key 0600 secret",
                "/etc/kubernetes/pki/etcd/ca.crt 0644",
                "/etc/kubernetes/pki/front-proxy-ca.crt 0644",
                "/etc/kubernetes/pki/front-proxy-ca.key 0600 secret",
                "/etc/kubernetes/pki/front-proxy-client.crt 0644",
                "/etc/kubernetes/pki/front-proxy-client.key 0600 secret",
                "/etc/kubernetes/pki/sa.key 0600 secret",
                "/etc/kubernetes/pki/sa.pub 0600",
                "/etc/kubernetes/scheduler.conf 0600 secret",
                "/etc/kubernetes/super-admin.conf 0600 secret"), placed(sorted(spec, files), "cp1"));
        List<String> cp2 = placed(sorted(spec, files), "cp2");
        assertEquals(18, cp2.size());
        assertTrue(!cp2.contains("/etc/kubernetes/kubelet.conf 0600 secret") && !cp2.contains("/etc/kubernetes/super-admin.conf 0600 secret"), cp2.toString());
        assertEquals(List.of(
                "/etc/kubernetes/pki/etcd/ca.crt 0644",
                "/etc/kubernetes/pki/etcd/healthcheck-client.crt 0644",
                "/etc/kubernetes/pki/etcd/healthcheck-client.key 0600 secret",
                "/etc/kubernetes/pki/etcd/peer.crt 0644",
                "/etc/kubernetes/pki/etcd/peer.key 0600 secret",
                "/etc/kubernetes/pki/etcd/server.crt 0644",
                "/etc/kubernetes/pki/etcd/server.key 0600 secret"), placed(sorted(spec, files), "etcd2"));
        assertEquals(List.of(), placed(files, "worker1"));
        assertEquals(pki.filesOf("cp2").get("pki/apiserver.crt"), files.stream()
                .filter(f -> f.host().equals("cp2") && f.path().equals("/etc/kubernetes/pki/apiserver.crt")).findFirst().orElseThrow().content());
        assertEquals(pki.filesOf("etcd2").get("pki/etcd/server.key"), files.stream()
                .filter(f -> f.host().equals("etcd2") && f.path().equals("/etc/kubernetes/pki/etcd/server.key")).findFirst().orElseThrow().content());
    }

    private static List<RenderedFile> sorted(ClusterSpec spec, List<RenderedFile> files) {
        return files.stream().sorted(java.util.Comparator.comparing(RenderedFile::path)).toList();
    }

    @Test
    void stackedControlPlanesHoldTheEtcdCaAndTheirMemberCerts() throws Exception {
        ClusterSpec spec = Specs.stacked("ECDSA-P256");
        PkiMaterial pki = ClusterPki.ensure(spec, new PkiStore(dir), Specs.CLOCK);
        List<RenderedFile> files = Render.render(spec, Secrets.MASKED, pki);
        List<String> cp3 = placed(files, "cp3").stream().filter(p -> p.contains("/etc/kubernetes/pki/etcd/")).toList();
        assertEquals(List.of(
                "/etc/kubernetes/pki/etcd/ca.crt 0644",
                "/etc/kubernetes/pki/etcd/ca.key 0600 secret",
                "/etc/kubernetes/pki/etcd/healthcheck-client.crt 0644",
                "/etc/kubernetes/pki/etcd/healthcheck-client.key 0600 secret",
                "/etc/kubernetes/pki/etcd/peer.crt 0644",
                "/etc/kubernetes/pki/etcd/peer.key 0600 secret",
                "/etc/kubernetes/pki/etcd/server.crt 0644",
                "/etc/kubernetes/pki/etcd/server.key 0600 secret"), cp3);
        assertEquals(List.of(), placed(files, "worker2").stream().filter(p -> p.contains("/etc/kubernetes/pki")).toList());
        assertEquals(List.of("cp1", "cp2", "cp3"), files.stream().filter(f -> f.path().startsWith("/etc/kubernetes/pki/"))
                .map(RenderedFile::host).distinct().toList());
        assertEquals(Render.render(spec, Secrets.MASKED).size() + PkiFiles.files(spec, pki).size(), files.size());
    }

    @Test
    void externalEtcdWithKubeadmPkiPlacesTheEtcdClientOnControlPlanes() throws Exception {
        ClusterSpec spec = Specs.preset("ha-external-etcd", "generatedBy: kubewizard", "generatedBy: kubeadm",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: ECDSA-P256");
        PkiMaterial pki = ClusterPki.ensure(spec, new PkiStore(dir), Specs.CLOCK);
        List<RenderedFile> files = PkiFiles.files(spec, pki);
        assertEquals(List.of(
                "/etc/kubernetes/pki/apiserver-etcd-client.crt 0644",
                "/etc/kubernetes/pki/apiserver-etcd-client.key 0600 secret",
                "/etc/kubernetes/pki/etcd/ca.crt 0644"), placed(files, "cp3"));
        assertEquals(7, placed(files, "etcd1").size());
        assertEquals(List.of(), placed(files, "worker3"));
    }

    @Test
    void noMaterialNoFiles() {
        assertEquals(List.of(), PkiFiles.files(Specs.preset("ha-stacked"), PkiMaterial.NONE));
    }
}
