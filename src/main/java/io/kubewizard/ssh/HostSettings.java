package io.kubewizard.ssh;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Where and how to reach one host: the answers' {@code ssh:} settings merged with {@code ~/.ssh/config}.
 *
 * <p>The answers win where both set a value. The loaded spec carries docs/answers.md's defaults in every
 * field, so a top-level value equal to its default ({@code user: root}, {@code port: 22},
 * {@code identityFile: ~/.ssh/id_ed25519}) counts as unset and ~/.ssh/config may override it; a
 * value in the host's own {@code ssh:} always counts as set. Identity files accumulate, as in
 * OpenSSH: an explicitly set file first, then the config's, then the default.
 *
 * @param host          the host's name in the answers file (for messages)
 * @param target        where the SSH connection ends
 * @param jumps         bastions in order, first one dialled directly (ProxyJump)
 * @param identityFiles private key files to offer, in order
 */
record HostSettings(String host, Endpoint target, List<Endpoint> jumps, List<Path> identityFiles, boolean useAgent,
                    Path knownHosts, boolean sudo) {

    HostSettings {
        jumps = List.copyOf(jumps);
        identityFiles = List.copyOf(identityFiles);
    }

    /** One SSH server: {@code user@hostName:port}. */
    record Endpoint(String hostName, int port, String user) {
        @Override
        public String toString() {
            String h = hostName.contains(":") ? "[" + hostName + "]" : hostName;
            return user + "@" + h + ":" + port;
        }
    }

    static HostSettings resolve(ClusterSpec spec, Host host, SshConfig config, Path home) {
        Ssh own = host.ssh() == null ? Ssh.none() : host.ssh();
        Ssh merged = spec.sshFor(host);
        SshConfig.Entry entry = config.lookup(host.address());

        String hostName = entry.hostName() != null ? entry.hostName() : host.address();
        String user = pick(own, spec.ssh(), Ssh::user, entry.user(), merged.user());
        int port = pick(own, spec.ssh(), Ssh::port, entry.port(), merged.port());

        List<Path> identities = new ArrayList<>();
        boolean explicitIdentity = isSet(own, spec.ssh(), Ssh::identityFile);
        if (explicitIdentity) identities.add(expand(merged.identityFile(), home, user, hostName));
        for (String f : entry.identityFiles()) identities.add(expand(f, home, user, hostName));
        if (!explicitIdentity && merged.identityFile() != null && !merged.identityFile().isBlank()) {
            identities.add(expand(merged.identityFile(), home, user, hostName));
        }

        String jumpSpec = merged.bastion() != null && !merged.bastion().isBlank() ? merged.bastion() : entry.proxyJump();
        List<Endpoint> jumps = new ArrayList<>();
        if (jumpSpec != null && !jumpSpec.isBlank() && !jumpSpec.equalsIgnoreCase("none")) {
            for (String hop : jumpSpec.split(",")) {
                Jump j = Jump.parse(hop.strip());
                SshConfig.Entry hopEntry = config.lookup(j.host);
                String hopName = hopEntry.hostName() != null ? hopEntry.hostName() : j.host;
                String hopUser = j.user != null ? j.user : hopEntry.user() != null ? hopEntry.user() : user;
                int hopPort = j.port != null ? j.port : hopEntry.port() != null ? hopEntry.port() : Defaults.SSH.port();
                jumps.add(new Endpoint(hopName, hopPort, hopUser));
                for (String f : hopEntry.identityFiles()) identities.add(expand(f, home, hopUser, hopName));
            }
        }

        boolean useAgent = merged.useAgent() == null || merged.useAgent();
        Path knownHosts = expand(merged.knownHostsFile() != null ? merged.knownHostsFile() : Defaults.SSH.knownHostsFile(),
                home, user, hostName);
        boolean sudo = merged.become() == Become.SUDO && !"root".equals(user);
        return new HostSettings(host.name(), new Endpoint(hostName, port, user), jumps,
                List.copyOf(new LinkedHashSet<>(identities)), useAgent, knownHosts, sudo);
    }

    private static <T> boolean isSet(Ssh own, Ssh top, Function<Ssh, T> field) {
        if (field.apply(own) != null) return true;
        T value = field.apply(top);
        return value != null && !value.equals(field.apply(Defaults.SSH));
    }

    private static <T> T pick(Ssh own, Ssh top, Function<Ssh, T> field, T fromConfig, T answered) {
        if (isSet(own, top, field) || fromConfig == null) return answered;
        return fromConfig;
    }

    /** {@code ~/} and the ssh_config(5) tokens %d (home), %u (local user), %r (remote user), %h, %%. */
    static Path expand(String file, Path home, String remoteUser, String hostName) {
        String f = file;
        if (f.equals("~")) return home;
        if (f.startsWith("~/")) f = home + f.substring(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 == f.length()) {
                out.append(c);
                continue;
            }
            char t = f.charAt(++i);
            switch (t) {
                case 'd' -> out.append(home);
                case 'u' -> out.append(System.getProperty("user.name"));
                case 'r' -> out.append(remoteUser);
                case 'h' -> out.append(hostName);
                case '%' -> out.append('%');
                default -> out.append('%').append(t);
            }
        }
        Path p = Path.of(out.toString());
        return p.isAbsolute() ? p.normalize() : home.resolve(".ssh").resolve(p).normalize();
    }

    /** ProxyJump's {@code [user@]host[:port]}, with {@code [v6]:port} for IPv6. */
    private record Jump(String user, String host, Integer port) {
        static Jump parse(String spec) {
            String rest = spec;
            String user = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                user = rest.substring(0, at);
                rest = rest.substring(at + 1);
            }
            if (rest.startsWith("ssh://")) rest = rest.substring("ssh://".length());
            String host = rest;
            Integer port = null;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("bastion '" + spec + "': missing ']'");
                host = rest.substring(1, close);
                if (rest.length() > close + 1 && rest.charAt(close + 1) == ':') port = parsePort(spec, rest.substring(close + 2));
            } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
                host = rest.substring(0, rest.indexOf(':'));
                port = parsePort(spec, rest.substring(rest.indexOf(':') + 1));
            }
            if (host.isEmpty()) throw new IllegalArgumentException("bastion '" + spec + "': no host");
            return new Jump(user == null || user.isEmpty() ? null : user, host, port);
        }

        private static int parsePort(String spec, String text) {
            try {
                int p = Integer.parseInt(text);
                if (p >= 1 && p <= 65535) return p;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("bastion '" + spec + "': port '" + text + "' is not 1-65535");
        }
    }
}
