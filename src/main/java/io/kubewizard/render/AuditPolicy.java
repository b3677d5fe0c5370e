package io.kubewizard.render;

import io.kubewizard.answers.Spec.Volume;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kube-apiserver audit policy (security.apiServer.auditLog) and the flags and volumes that wire it
 * in. The policy keeps the log useful and small: nothing for the health probes and the steady chatter of
 * kubelets, controllers and events; metadata only where a body would leak a secret or a token; full
 * request and response for every other write, so a change can be traced to who made it and what it was.
 */
final class AuditPolicy {
    private AuditPolicy() {}

    static final String DIR = "/etc/kubernetes/audit";
    static final String PATH = DIR + "/policy.yaml";
    static final String LOG_DIR = "/var/log/kubernetes/audit";
    static final String LOG_PATH = LOG_DIR + "/audit.log";

    /** Rules match first-to-last, so the exclusions come before the catch-alls. */
    static final String CONTENT = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            # RequestReceived events repeat what ResponseComplete records a moment later, doubling the log.
            omitStages:
            - RequestReceived
            rules:
            # Health and version probes from load balancers and kubelets, many per second.
            - level: None
              nonResourceURLs:
              - /healthz*
              - /livez*
              - /readyz*
              - /version
              - /metrics
            # kube-proxy watches services and endpoints on every node.
            - level: None
              users:
              - system:kube-proxy
              verbs:
              - watch
              resources:
              - group: ""
                resources:
                - endpoints
                - services
                - services/status
              - group: discovery.k8s.io
                resources:
                - endpointslices
            # Kubelets read their node and renew their lease every few seconds.
            - level: None
              userGroups:
              - system:nodes
              verbs:
              - get
              - update
              - patch
              resources:
              - group: ""
                resources:
                - nodes
                - nodes/status
              - group: coordination.k8s.io
                resources:
                - leases
            # Leader election of the control-plane components.
            - level: None
              users:
              - system:kube-controller-manager
              - system:kube-scheduler
              verbs:
              - get
              - update
              namespaces:
              - kube-system
              resources:
              - group: coordination.k8s.io
                resources:
                - leases
            # Events are an audit trail of their own.
            - level: None
              resources:
              - group: ""
                resources:
                - events
              - group: events.k8s.io
                resources:
                - events
            # Bodies here hold secrets or credentials: record who and what, never the content.
            - level: Metadata
              resources:
              - group: ""
                resources:
                - secrets
                - configmaps
                - serviceaccounts/token
              - group: authentication.k8s.io
                resources:
                - tokenreviews
            - level: RequestResponse
              verbs:
              - create
              - update
              - patch
              - delete
              - deletecollection
            - level: Metadata
            """;

    /** kube-apiserver flags, in the order they are passed. */
    static Map<String, String> apiServerArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("audit-policy-file", PATH);
        args.put("audit-log-path", LOG_PATH);
        args.put("audit-log-maxage", "30");
        args.put("audit-log-maxbackup", "10");
        args.put("audit-log-maxsize", "100");
        return args;
    }

    /** The policy is only read; the log directory is written by the apiserver, so it is not read-only. */
    static List<Volume> volumes() {
        return List.of(new Volume("audit-policy", DIR, DIR, true, "DirectoryOrCreate"),
                new Volume("audit-log", LOG_DIR, LOG_DIR, false, "DirectoryOrCreate"));
    }
}
