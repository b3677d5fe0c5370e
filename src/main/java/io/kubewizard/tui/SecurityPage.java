package io.kubewizard.tui;

import io.kubewizard.answers.Spec.KeyAlgorithm;
import io.kubewizard.answers.Spec.PkiGeneratedBy;
import io.kubewizard.answers.Spec.PodSecurityLevel;

import java.util.List;

/** PKI (who makes it, key algorithm, validity, extra SANs), Pod Security defaults and API server options. */
final class SecurityPage extends FormPage {
    SecurityPage(Wizard w) { super(w); }

    @Override
    String id() { return "security"; }

    @Override
    String[] fields() { return new String[] {"pki", "security"}; }

    @Override
    List<String> labels() {
        return List.of(label("generatedBy"), label("algorithm"), label("validity"), label("caValidity"), label("sans"),
                label("enforce"), label("audit"), label("warn"), label("exempt"), label("anonymous"), label("auditLog"));
    }

    @Override
    void rows(Form f) {
        f.field(label("generatedBy"), combo(PkiGeneratedBy.values(), () -> w.state.pkiGeneratedBy,
                v -> w.state.pkiGeneratedBy = v), "pki.generatedBy");
        f.field(label("algorithm"), combo(KeyAlgorithm.values(), () -> w.state.keyAlgorithm,
                v -> w.state.keyAlgorithm = v), "pki.keyAlgorithm");
        f.field(label("validity"), text(10, () -> w.state.certificateValidity, t -> w.state.certificateValidity = t),
                "pki.certificateValidity");
        f.field(label("caValidity"), text(10, () -> w.state.caCertificateValidity,
                t -> w.state.caCertificateValidity = t), "pki.caCertificateValidity");
        f.field(label("sans"), text(40, () -> w.state.extraCertSANs, t -> w.state.extraCertSANs = t),
                "pki.extraCertSANs");
        f.field(label("enforce"), combo(PodSecurityLevel.values(), () -> w.state.enforce, v -> w.state.enforce = v),
                "security.podSecurity.enforce");
        f.field(label("audit"), combo(PodSecurityLevel.values(), () -> w.state.audit, v -> w.state.audit = v),
                "security.podSecurity.audit");
        f.field(label("warn"), combo(PodSecurityLevel.values(), () -> w.state.warn, v -> w.state.warn = v),
                "security.podSecurity.warn");
        f.field(label("exempt"), text(40, () -> w.state.exemptNamespaces, t -> w.state.exemptNamespaces = t),
                "security.podSecurity.exemptNamespaces");
        f.field(label("anonymous"), check("", () -> w.state.anonymousAuth, v -> w.state.anonymousAuth = v),
                "security.apiServer.anonymousAuth");
        f.field(label("auditLog"), check("", () -> w.state.auditLog, v -> w.state.auditLog = v),
                "security.apiServer.auditLog");
    }
}
