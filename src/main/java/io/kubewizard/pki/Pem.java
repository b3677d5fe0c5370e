package io.kubewizard.pki;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM as Go's encoding/pem writes it (what kubeadm and client-go read and write): 64 base64
 * characters a line, "\n" line ends, no headers. Written by hand rather than with Bouncy Castle's
 * PemWriter, whose line ends follow the platform.
 */
final class Pem {
    private Pem() {}

    static final String CERTIFICATE = "CERTIFICATE";
    static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
    static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String PUBLIC_KEY = "PUBLIC KEY";

    record Block(String type, byte[] der) {}

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    static String encode(String type, byte[] der) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(b64.length() + 80);
        sb.append("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < b64.length(); i += 64) sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        return sb.append("-----END ").append(type).append("-----\n").toString();
    }

    /** Every block in the text, in order; a block with headers (an encrypted key) is refused. */
    static List<Block> decode(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) throw new IllegalArgumentException("PEM block " + m.group(1) + " has headers (encrypted?)");
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(body.replaceAll("\\s", ""))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block " + m.group(1) + " is not valid base64", e);
            }
        }
        return out;
    }

    /** The first block of the given type. */
    static byte[] first(String text, String type) {
        for (Block b : decode(text)) if (b.type().equals(type)) return b.der();
        throw new IllegalArgumentException("no PEM block " + type);
    }
}
