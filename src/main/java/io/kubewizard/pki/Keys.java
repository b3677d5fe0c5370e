package io.kubewizard.pki;

import io.kubewizard.answers.Spec.KeyAlgorithm;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * Key pairs and their PEM forms, as client-go's keyutil writes them for kubeadm: RSA keys as
 * PKCS#1 "RSA PRIVATE KEY", EC keys as SEC1 "EC PRIVATE KEY" (named curve and public key
 * included, which Go's parser requires), public keys as PKIX "PUBLIC KEY". Reading also accepts
 * PKCS#8 "PRIVATE KEY", as keyutil does.
 */
final class Keys {
    private Keys() {}

    /** A well-formed key kubeadm could not use either. */
    private static final class Unsupported extends IllegalArgumentException {
        Unsupported(String message) { super(message); }
    }

    /** A private key with its public half. */
    record Parsed(PrivateKey privateKey, SubjectPublicKeyInfo publicKey) {}

    private static final AlgorithmIdentifier RSA = new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

    static KeyPair generate(KeyAlgorithm algorithm, SecureRandom random) {
        try {
            KeyPairGenerator g;
            switch (algorithm) {
                case ECDSA_P256 -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                }
                case RSA_2048, RSA_3072, RSA_4096 -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(Integer.parseInt(algorithm.yaml().substring(4)), random);
                }
                default -> throw new IllegalArgumentException("unknown key algorithm " + algorithm);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + algorithm.yaml() + " keys", e);
        }
    }

    static String privatePem(KeyPair pair) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
            ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return Pem.encode(Pem.RSA_PRIVATE_KEY, RSAPrivateKey.getInstance(info.parsePrivateKey()).getEncoded());
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
                X9ECParameters params = ECNamedCurveTable.getByOID(curve);
                ECPrivateKey sec1 = new ECPrivateKey(params.getN().bitLength(), inner.getKey(),
                        new DERBitString(pub.getPublicKeyData().getBytes()), curve);
                return Pem.encode(Pem.EC_PRIVATE_KEY, sec1.getEncoded());
            }
            throw new IllegalArgumentException("unsupported key algorithm " + alg);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    static String publicPem(PublicKey key) {
        return Pem.encode(Pem.PUBLIC_KEY, key.getEncoded());
    }

    /** Parses the first private key block; IllegalArgumentException says why it is not one. */
    static Parsed parsePrivate(String pem) {
        for (Pem.Block b : Pem.decode(pem)) {
            try {
                switch (b.type()) {
                    case Pem.RSA_PRIVATE_KEY:
                        return rsa(RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(b.der())));
                    case Pem.EC_PRIVATE_KEY:
                        return ec(ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(b.der())), null);
                    case Pem.PRIVATE_KEY:
                        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(b.der()));
                        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
                        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) return rsa(RSAPrivateKey.getInstance(info.parsePrivateKey()));
                        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                            return ec(ECPrivateKey.getInstance(info.parsePrivateKey()),
                                    ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters()));
                        }
                        throw new Unsupported("a " + alg + " key, neither RSA nor ECDSA");
                    default:
                        break;
                }
            } catch (Unsupported e) {
                throw e;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("the " + b.type() + " block is corrupt", e);
            }
        }
        throw new IllegalArgumentException("no PEM private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
    }

    static SubjectPublicKeyInfo parsePublic(String pem) {
        try {
            return SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(Pem.first(pem, Pem.PUBLIC_KEY)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("no valid PEM PUBLIC KEY", e);
        }
    }

    /** Same algorithm and same key bits (ignores how the algorithm parameters were spelt). */
    static boolean samePublicKey(SubjectPublicKeyInfo a, SubjectPublicKeyInfo b) {
        return a.getAlgorithm().getAlgorithm().equals(b.getAlgorithm().getAlgorithm())
                && Arrays.equals(a.getPublicKeyData().getBytes(), b.getPublicKeyData().getBytes());
    }

    private static Parsed rsa(RSAPrivateKey k) throws IOException, GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(new PrivateKeyInfo(RSA, k).getEncoded()));
        return new Parsed(key, new SubjectPublicKeyInfo(RSA, new RSAPublicKey(k.getModulus(), k.getPublicExponent())));
    }

    private static Parsed ec(ECPrivateKey k, ASN1ObjectIdentifier outerCurve) throws IOException, GeneralSecurityException {
        org.bouncycastle.asn1.ASN1Object params = k.getParametersObject();
        ASN1ObjectIdentifier curve = params != null ? ASN1ObjectIdentifier.getInstance(params) : outerCurve;
        if (curve == null) throw new Unsupported("an EC key without a named curve");
        X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
        if (x9 == null) throw new Unsupported("an EC key on an unknown curve " + curve);
        AlgorithmIdentifier alg = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(new PrivateKeyInfo(alg, k).getEncoded()));
        // The public point is recomputed rather than read: a key file whose embedded point was
        // tampered with must not pass as matching its certificate.
        byte[] point = x9.getG().multiply(k.getKey()).normalize().getEncoded(false);
        return new Parsed(key, new SubjectPublicKeyInfo(alg, point));
    }
}
