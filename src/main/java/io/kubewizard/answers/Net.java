package io.kubewizard.answers;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDRs, parsed without ever touching DNS (InetAddress.getByName would resolve
 * a name, and validation must be pure and offline).
 */
public final class Net {
    private Net() {}

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME_LABEL = Pattern.compile("(?i)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    /** An address as a number with its width in bits (32 or 128). */
    public record Ip(BigInteger value, int bits) {
        public boolean v4() { return bits == 32; }

        @Override
        public String toString() { return format(value, bits); }

        // Written out: a record's generated equals and hashCode are bootstrapped on first use, which
        // cost every validate about 15 ms (the load balancer's address is compared with the hosts').
        @Override
        public boolean equals(Object o) { return o instanceof Ip i && bits == i.bits && value.equals(i.value); }

        @Override
        public int hashCode() { return 31 * value.hashCode() + bits; }
    }

    /** A network: base address and prefix length. */
    public record Cidr(Ip base, int prefix) {
        public BigInteger size() { return BigInteger.ONE.shiftLeft(base.bits - prefix); }

        public BigInteger first() { return base.value.shiftRight(base.bits - prefix).shiftLeft(base.bits - prefix); }

        public BigInteger last() { return first().add(size()).subtract(BigInteger.ONE); }

        public boolean aligned() { return first().equals(base.value); }

        public boolean contains(Ip ip) {
            return ip.bits == base.bits && ip.value.compareTo(first()) >= 0 && ip.value.compareTo(last()) <= 0;
        }

        public boolean overlaps(Cidr o) {
            return o.base.bits == base.bits && first().compareTo(o.last()) <= 0 && o.first().compareTo(last()) <= 0;
        }

        /** The n-th address of the network (0 = the network address). */
        public Ip nth(long n) { return new Ip(first().add(BigInteger.valueOf(n)), base.bits); }

        public String normalized() { return format(first(), base.bits) + "/" + prefix; }

        @Override
        public String toString() { return base + "/" + prefix; }
    }

    /** Parses an IPv4 or IPv6 literal; null when the text is not one. */
    public static Ip parseIp(String text) {
        if (text == null || text.isEmpty()) return null;
        if (text.indexOf(':') >= 0) return parseV6(text);
        return parseV4(text);
    }

    public static boolean isIp(String text) { return parseIp(text) != null; }

    /** Four decimal octets of ASCII digits; hand-parsed because validation parses every host's address. */
    private static Ip parseV4(String text) {
        long v = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (true) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                if (i - start == 3) return null;
                octet = octet * 10 + (text.charAt(i++) - '0');
            }
            if (i == start || octet > 255) return null;
            if (i - start > 1 && text.charAt(start) == '0') return null; // 010 is ambiguous (octal in some tools)
            v = (v << 8) | octet;
            if (++octets == 4) return i == n ? new Ip(BigInteger.valueOf(v), 32) : null;
            if (i == n || text.charAt(i) != '.') return null;
            i++;
        }
    }

    private static Ip parseV6(String text) {
        if (!V6_CHARS.matcher(text).matches()) return null;
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) return null;
        String[] head;
        String[] tail;
        if (dbl >= 0) {
            head = groups(text.substring(0, dbl));
            tail = groups(text.substring(dbl + 2));
        } else {
            head = groups(text);
            tail = new String[0];
        }
        if (head == null || tail == null) return null;
        java.util.List<Integer> words = new java.util.ArrayList<>();
        java.util.List<Integer> tailWords = new java.util.ArrayList<>();
        if (!words(head, words, tail.length == 0) || !words(tail, tailWords, true)) return null;
        int total = words.size() + tailWords.size();
        if (dbl < 0 && total != 8) return null;
        if (dbl >= 0 && total > 7) return null;
        BigInteger v = BigInteger.ZERO;
        for (int w : words) v = v.shiftLeft(16).or(BigInteger.valueOf(w));
        for (int i = total; i < 8; i++) v = v.shiftLeft(16);
        for (int w : tailWords) v = v.shiftLeft(16).or(BigInteger.valueOf(w));
        return new Ip(v, 128);
    }

    private static String[] groups(String s) {
        if (s.isEmpty()) return new String[0];
        String[] g = s.split(":", -1);
        for (String x : g) if (x.isEmpty()) return null;
        return g;
    }

    private static boolean words(String[] groups, java.util.List<Integer> out, boolean mayEndWithV4) {
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.indexOf('.') >= 0) {
                if (!mayEndWithV4 || i != groups.length - 1) return false;
                Ip v4 = parseV4(g);
                if (v4 == null) return false;
                long x = v4.value.longValue();
                out.add((int) (x >> 16));
                out.add((int) (x & 0xffff));
            } else {
                if (g.length() > 4) return false;
                out.add(Integer.parseInt(g, 16));
            }
        }
        return true;
    }

    /** Parses "a.b.c.d/n" or "x::/n"; null when malformed. */
    public static Cidr parseCidr(String text) {
        if (text == null) return null;
        int slash = text.indexOf('/');
        if (slash < 0) return null;
        Ip ip = parseIp(text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (ip == null || len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) return null;
        int prefix = Integer.parseInt(len);
        if (prefix > ip.bits) return null;
        return new Cidr(ip, prefix);
    }

    /** A DNS-1123 label: lowercase alphanumerics and '-', at most 63. */
    public static boolean isDnsLabel(String s) { return s != null && DNS_LABEL.matcher(s).matches(); }

    /** A DNS-1123 subdomain (Kubernetes node names): dot-separated labels, at most 253, lowercase. */
    public static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) return false;
        for (String label : s.split("\\.", -1)) if (!isDnsLabel(label)) return false;
        return true;
    }

    /** A host name as users type them (any case), for SSH addresses and certificate SANs. */
    public static boolean isHostName(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) return false;
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (t.isEmpty()) return false;
        for (String label : t.split("\\.", -1)) if (!DNS_NAME_LABEL.matcher(label).matches()) return false;
        return !DIGITS_AND_DOTS.matcher(t).matches(); // all-numeric is a malformed IPv4 address, not a name
    }

    static String format(BigInteger v, int bits) {
        if (bits == 32) {
            long x = v.longValue();
            return ((x >> 24) & 255) + "." + ((x >> 16) & 255) + "." + ((x >> 8) & 255) + "." + (x & 255);
        }
        int[] w = new int[8];
        for (int i = 7; i >= 0; i--) {
            w[i] = v.and(BigInteger.valueOf(0xffff)).intValue();
            v = v.shiftRight(16);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** Splits "host[:port]" (IPv6 as "[addr]:port"); port is -1 when absent, -2 when malformed. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String text) {
            if (text == null) return new HostPort("", -1);
            String host = text;
            String port = null;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) return new HostPort(text, -2);
                host = text.substring(1, close);
                String rest = text.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) return new HostPort(host, -2);
                    port = rest.substring(1);
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                port = text.substring(text.indexOf(':') + 1);
            }
            if (port == null) return new HostPort(host, -1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) return new HostPort(host, -2);
            int p = Integer.parseInt(port);
            return new HostPort(host, p >= 1 && p <= 65535 ? p : -2);
        }

        /** "host:port" with IPv6 hosts bracketed. */
        public static String format(String host, int port) {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
