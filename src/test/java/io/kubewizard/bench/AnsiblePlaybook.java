package io.kubewizard.bench;

import io.kubewizard.render.Secrets;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plan's steps as an ordinary Ansible author would drive them: one play per phase, in the
 * plan's order (linear strategy); per step a {@code copy} of its files with their modes and one
 * {@code shell} task that runs its commands unless its check passes. Control-plane joins carry
 * {@code throttle: 1}; every other task runs on all of its hosts at once, up to the forks.
 * Made from {@code kubewizard plan --format json} (steps, hosts, checks, commands, upload modes)
 * and {@code kubewizard render -o DIR} (file contents). Every node here is Debian, so the DEB
 * variants are taken. The jump host's across-hosts comparison has no command and is left out.
 *
 * <p>Secrets travel as the engine's do: the bootstrap token and certificate key come from a run
 * directory's {@code secrets/} and are written into the secret files on the controller (0600 in a
 * 0700 directory); the CA hash kubeadm's CA gets is read on the first control plane right after
 * init and templated in, so no secret is ever on a command line.
 */
final class AnsiblePlaybook {
    /** The task's output when the check passed: the step was skipped, not changed. */
    private static final String ALREADY_DONE = "kw-bench: already done";
    private static final String INIT_STEP = "control-plane/init";
    private static final String CP_JOIN_STEP = "control-plane/join";
    private static final String CA_HASH_VAR = "ca_cert_hash";

    private AnsiblePlaybook() {}

    /** One step of one host as the plan JSON gives it, DEB variant. */
    private record Step(String id, String host, String phaseTitle, boolean idempotent, String check, List<String> run,
                        List<Map<String, Object>> uploads, List<String> downloads) {
        /** Hosts whose steps of one id look alike share a task; preflight differs for control planes and workers. */
        String signature() {
            List<String> uploadPaths = uploads.stream().map(u -> u.get("path") + " " + u.get("mode")).toList();
            return String.valueOf(check) + "\u0000" + run + "\u0000" + uploadPaths + "\u0000" + downloads;
        }
    }

    /**
     * Writes {@code playbook.yml}, {@code inventory.ini} and {@code files/<host>/...} into {@code dir}.
     *
     * @param addresses host name → address the controller reaches it at
     * @return the host kubeadm init runs on
     */
    @SuppressWarnings("unchecked")
    static String write(String planJson, Path rendered, String bootstrapToken, String certificateKey,
                        Map<String, String> addresses, Path clientKey, Path dir) throws IOException {
        Map<String, Object> plan = new Yaml().load(planJson);
        List<List<Step>> phases = new ArrayList<>();
        String initHost = null;
        for (Map<String, Object> phase : (List<Map<String, Object>>) plan.get("phases")) {
            List<Step> steps = new ArrayList<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) phase.get("steps")) {
                String host = (String) s.get("host");
                if (host.equals("*")) continue;
                Map<String, List<String>> run = (Map<String, List<String>>) s.get("run");
                List<String> commands = run.containsKey("any") ? run.get("any") : run.getOrDefault("deb", List.of());
                List<Map<String, Object>> uploads = ((List<Map<String, Object>>) s.get("uploads")).stream()
                        .filter(u -> !"rpm".equals(u.get("os"))).toList();
                steps.add(new Step((String) s.get("id"), host, (String) phase.get("title"),
                        Boolean.TRUE.equals(s.get("idempotent")), (String) s.get("check"),
                        commands, uploads, (List<String>) s.get("downloads")));
                if (INIT_STEP.equals(s.get("id"))) initHost = host;
            }
            if (!steps.isEmpty()) phases.add(steps);
        }
        if (initHost == null) throw new IllegalArgumentException("the plan has no " + INIT_STEP + " step");

        Path files = dir.resolve("files");
        Files.createDirectories(files, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Set<String> directories = new TreeSet<>();
        String caHashExpression = "{{ hostvars['" + initHost + "']." + CA_HASH_VAR + ".stdout }}";
        for (List<Step> phase : phases) {
            for (Step s : phase) {
                for (Map<String, Object> u : s.uploads) {
                    String path = (String) u.get("path");
                    String parent = path.substring(0, path.lastIndexOf('/'));
                    // /etc and the like are on every host; an author lists only the directories the install adds.
                    if (parent.lastIndexOf('/') > 0) directories.add(parent);
                    String content = Files.readString(rendered.resolve(s.host + path));
                    if (Boolean.TRUE.equals(u.get("secret"))) {
                        // Those with the CA hash go through the template module: nothing else in them may look like Jinja.
                        if (content.matches("(?s).*\\{[{%#].*")) throw new IllegalStateException(s.host + path + " holds Jinja syntax");
                        content = content.replace(Secrets.MASKED.caCertHash(), "sha256:" + caHashExpression)
                                .replace(Secrets.MASKED.certificateKey(), certificateKey)
                                .replace(Secrets.MASKED.bootstrapToken(), bootstrapToken);
                        if (content.contains("*****")) throw new IllegalStateException(s.host + path + " still holds a masked value");
                    }
                    Path target = files.resolve(s.host + path);
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, content);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
                }
            }
        }

        List<String> allHosts = new ArrayList<>(addresses.keySet());
        StringBuilder yml = new StringBuilder("# kubewizard's plan as Ansible tasks (ApplyBenchmark)\n");
        boolean first = true;
        for (List<Step> phase : phases) {
            Set<String> hosts = new LinkedHashSet<>();
            Map<String, Map<String, List<Step>>> byId = new LinkedHashMap<>();
            for (Step s : phase) {
                hosts.add(s.host);
                byId.computeIfAbsent(s.id, k -> new LinkedHashMap<>()).computeIfAbsent(s.signature(), k -> new ArrayList<>()).add(s);
            }
            List<String> playHosts = allHosts.stream().filter(hosts::contains).toList();
            yml.append("- name: ").append(quote(phase.get(0).phaseTitle)).append('\n')
                    .append("  hosts: ").append(quote(String.join(":", playHosts))).append('\n')
                    .append("  gather_facts: false\n")
                    .append("  tasks:\n");
            if (first) {
                // copy does not make parent directories; the engine's upload does (mkdir -p).
                yml.append("    - name: Directories of the uploaded files\n")
                        .append("      file: {path: \"{{ item }}\", state: directory, mode: \"0755\"}\n")
                        .append("      loop: ").append(flow(List.copyOf(directories))).append('\n');
                first = false;
            }
            for (Map<String, List<Step>> groups : byId.values()) {
                for (List<Step> group : groups.values()) {
                    task(yml, group, playHosts, dir, caHashExpression);
                    if (group.get(0).id.equals(INIT_STEP)) {
                        yml.append("    - name: CA certificate hash the joins pin\n")
                                .append("      shell: ").append(quote("openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt"
                                        + " | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1")).append('\n')
                                .append("      register: ").append(CA_HASH_VAR).append('\n')
                                .append("      changed_when: false\n")
                                .append("      when: inventory_hostname == ").append(quote(initHost)).append('\n');
                    }
                }
            }
        }
        Files.writeString(dir.resolve("playbook.yml"), yml);

        StringBuilder inventory = new StringBuilder("[nodes]\n");
        addresses.forEach((host, address) -> inventory.append(host).append(" ansible_host=").append(address).append('\n'));
        inventory.append("\n[nodes:vars]\nansible_user=root\nansible_ssh_private_key_file=").append(clientKey)
                .append("\nansible_python_interpreter=/usr/bin/python3\n");
        Files.writeString(dir.resolve("inventory.ini"), inventory);
        return initHost;
    }

    /** One step's tasks for hosts whose step looks alike: its uploads, then its commands unless its check passes. */
    private static void task(StringBuilder yml, List<Step> group, List<String> playHosts, Path dir, String caHashExpression) {
        Step s = group.get(0);
        List<String> hosts = group.stream().map(Step::host).toList();
        String when = hosts.equals(playHosts) ? null : "inventory_hostname in " + flow(hosts);
        String throttle = s.id.equals(CP_JOIN_STEP) ? "      throttle: 1\n" : "";
        List<String> changed = new ArrayList<>();
        for (Map<String, Object> u : s.uploads) {
            String path = (String) u.get("path");
            String register = "upload_" + changed.size();
            changed.add(register + " is changed");
            boolean secret = Boolean.TRUE.equals(u.get("secret"));
            boolean templated = secret && readSafely(dir.resolve("files/" + s.host + path)).contains(caHashExpression);
            yml.append("    - name: ").append(quote(s.id + ": " + path)).append('\n')
                    .append("      ").append(templated ? "template" : "copy").append(": {src: ")
                    .append(quote(dir.resolve("files") + "/{{ inventory_hostname }}" + path))
                    .append(", dest: ").append(quote(path)).append(", mode: ").append(quote((String) u.get("mode"))).append("}\n");
            yml.append("      register: ").append(register).append('\n');
            if (secret) yml.append("      no_log: true\n");
            if (when != null) yml.append("      when: ").append(when).append('\n');
        }
        if (!s.run.isEmpty()) {
            StringBuilder script = new StringBuilder();
            // The engine's contract: an idempotent step runs despite its check when an upload changed a file.
            boolean rerunOnChange = s.idempotent && s.check != null && !changed.isEmpty();
            if (s.check != null) {
                script.append(rerunOnChange ? "if [ \"$KW_UPLOADED\" != True ] && { " : "if { ").append(s.check)
                        .append("\n}; then echo '").append(ALREADY_DONE).append("'; exit 0; fi\n");
            }
            // Each command must succeed, as when the engine runs them one by one (set -e spares "a && b").
            for (String c : s.run) script.append("{ ").append(c).append("\n} || exit\n");
            yml.append("    - name: ").append(quote(s.id)).append('\n')
                    .append("      shell: !unsafe ").append(quote(script.toString())).append('\n')
                    .append("      register: step\n")
                    .append("      changed_when: \"'").append(ALREADY_DONE).append("' not in step.stdout\"\n");
            if (rerunOnChange) yml.append("      environment: {KW_UPLOADED: \"{{ ").append(String.join(" or ", changed)).append(" }}\"}\n");
            // kubeadm prints the token and the certificate key; a failed task's output would show them.
            if (s.run.stream().anyMatch(c -> c.startsWith("kubeadm "))) yml.append("      no_log: true\n");
            if (when != null) yml.append("      when: ").append(when).append('\n');
            yml.append(throttle);
        }
        for (String d : s.downloads) {
            yml.append("    - name: ").append(quote(s.id + ": " + d)).append('\n')
                    .append("      fetch: {src: ").append(quote(d)).append(", dest: ")
                    .append(quote(dir.resolve("fetched") + "/{{ inventory_hostname }}" + d)).append(", flat: true}\n");
            if (when != null) yml.append("      when: ").append(when).append('\n');
        }
    }

    private static String readSafely(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String flow(List<String> items) {
        return "[" + String.join(", ", items.stream().map(AnsiblePlaybook::quote).toList()) + "]";
    }

    /** A YAML double-quoted scalar (PyYAML reads these escapes). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
