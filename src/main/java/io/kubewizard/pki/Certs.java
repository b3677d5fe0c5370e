package io.kubewizard.pki;

import io.kubewizard.answers.Net;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * X.509 certificates shaped like kubeadm's (pkiutil, client-go cert): random serials, critical
 * basic constraints and key usage, subject and authority key identifiers, SHA-256 signatures.
 */
final class Certs {
    private Certs() {}

    /** What a certificate says about its holder, as kubeadm's certutil.Config does. */
    record Profile(String commonName, String organization, boolean serverAuth, boolean clientAuth,
                   List<String> dnsNames, List<String> ipAddresses) {
        Profile {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }
    }

    static X509CertificateHolder selfSignedCa(String commonName, java.security.KeyPair pair, Instant notBefore,
                                              Instant notAfter, SecureRandom random) {
        X500Name name = name(commonName, List.of());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, pair.getPublic(), notBefore, notAfter, random)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                    // client-go's NewSelfSignedCACert names the CA in its SANs too; kept for parity.
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            return b.build(signer(pair.getPrivate()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the " + commonName + " certificate", e);
        }
    }

    static X509CertificateHolder signed(Profile p, PublicKey subjectKey, X509CertificateHolder ca, PrivateKey caKey,
                                        Instant notBefore, Instant notAfter, SecureRandom random) {
        List<String> orgs = p.organization() == null ? List.of() : List.of(p.organization());
        return signed(p, orgs, subjectKey, ca, caKey, notBefore, notAfter, random);
    }

    /** A client certificate in several groups (one O each, in order), as kubeadm kubeconfig user --org makes. */
    static X509CertificateHolder client(String commonName, List<String> organizations, PublicKey subjectKey,
                                        X509CertificateHolder ca, PrivateKey caKey, Instant notBefore, Instant notAfter,
                                        SecureRandom random) {
        return signed(new Profile(commonName, null, false, true, List.of(), List.of()), organizations, subjectKey, ca, caKey,
                notBefore, notAfter, random);
    }

    private static X509CertificateHolder signed(Profile p, List<String> organizations, PublicKey subjectKey,
                                                X509CertificateHolder ca, PrivateKey caKey, Instant notBefore,
                                                Instant notAfter, SecureRandom random) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            Instant end = notAfter.isAfter(ca.getNotAfter().toInstant()) ? ca.getNotAfter().toInstant() : notAfter;
            X509v3CertificateBuilder b = builder(ca.getSubject(), name(p.commonName(), organizations), subjectKey,
                    notBefore, end, random)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes(p)))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ca, ext));
            List<GeneralName> names = new ArrayList<>();
            for (String d : p.dnsNames()) names.add(new GeneralName(GeneralName.dNSName, d));
            for (String ip : p.ipAddresses()) names.add(new GeneralName(GeneralName.iPAddress, ip));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return b.build(signer(caKey));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the " + p.commonName() + " certificate", e);
        }
    }

    private static KeyPurposeId[] purposes(Profile p) {
        List<KeyPurposeId> out = new ArrayList<>();
        if (p.serverAuth()) out.add(KeyPurposeId.id_kp_serverAuth);
        if (p.clientAuth()) out.add(KeyPurposeId.id_kp_clientAuth);
        return out.toArray(KeyPurposeId[]::new);
    }

    private static AuthorityKeyIdentifier authorityKeyId(X509CertificateHolder ca, JcaX509ExtensionUtils ext) {
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(ca.getExtensions());
        if (ski != null) return new AuthorityKeyIdentifier(ski.getKeyIdentifier());
        return ext.createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore,
                                                    Instant notAfter, SecureRandom random) {
        // Positive and never zero, as RFC 5280 asks; 127 random bits make collisions moot.
        BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
        return new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject,
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    private static ContentSigner signer(PrivateKey key) {
        String alg = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            return new JcaContentSignerBuilder(alg).build(key);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    /** Organization first, then common name: the order Go's pkix.Name writes. */
    private static X500Name name(String commonName, String organization) {
        return name(commonName, organization == null ? List.of() : List.of(organization));
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) b.addRDN(BCStyle.O, o);
        b.addRDN(BCStyle.CN, commonName);
        return b.build();
    }

    static String pem(X509CertificateHolder cert) {
        try {
            return Pem.encode(Pem.CERTIFICATE, cert.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first CERTIFICATE block; IllegalArgumentException says why there is none. */
    static X509CertificateHolder parse(String pem) {
        byte[] der = Pem.first(pem, Pem.CERTIFICATE);
        try {
            return new X509CertificateHolder(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the CERTIFICATE block is corrupt", e);
        }
    }

    static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder ca) {
        if (!cert.getIssuer().equals(ca.getSubject())) return false;
        try {
            return cert.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca));
        } catch (Exception e) {
            return false;
        }
    }

    static boolean isCa(X509CertificateHolder cert) {
        BasicConstraints bc = BasicConstraints.fromExtensions(cert.getExtensions());
        return bc != null && bc.isCA();
    }

    static String commonName(X509CertificateHolder cert) { return first(cert.getSubject(), BCStyle.CN); }

    static String organization(X509CertificateHolder cert) { return first(cert.getSubject(), BCStyle.O); }

    /** Every O of the subject, in the certificate's order (a Kubernetes client's groups). */
    static List<String> organizations(X509CertificateHolder cert) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : cert.getSubject().getRDNs(BCStyle.O)) out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        return out;
    }

    private static String first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** "O=system:masters, CN=kube-apiserver-kubelet-client", in the certificate's own order. */
    static String describe(X500Name name) {
        List<String> parts = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                parts.add(BCStyle.INSTANCE.oidToDisplayName(atv.getType()) + "=" + IETFUtils.valueToString(atv.getValue()));
            }
        }
        return String.join(", ", parts);
    }

    static List<String> dnsNames(X509CertificateHolder cert) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : altNames(cert)) {
            if (n.getTagNo() == GeneralName.dNSName) out.add(DERIA5String.getInstance(n.getName()).getString());
        }
        return out;
    }

    /** IP SANs in the canonical text form of {@link Net.Ip#toString()}. */
    static List<String> ipAddresses(X509CertificateHolder cert) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : altNames(cert)) {
            if (n.getTagNo() != GeneralName.iPAddress) continue;
            try {
                byte[] raw = ASN1OctetString.getInstance(n.getName()).getOctets();
                out.add(canonicalIp(InetAddress.getByAddress(raw).getHostAddress()));
            } catch (UnknownHostException e) {
                out.add("(malformed IP)");
            }
        }
        return out;
    }

    /** "DNS:cp1, IP:10.0.0.11" in the certificate's own order; "none" without SANs. */
    static String describeAltNames(X509CertificateHolder cert) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : altNames(cert)) {
            if (n.getTagNo() == GeneralName.dNSName) {
                out.add("DNS:" + DERIA5String.getInstance(n.getName()).getString());
            } else if (n.getTagNo() == GeneralName.iPAddress) {
                try {
                    out.add("IP:" + canonicalIp(InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress()));
                } catch (UnknownHostException e) {
                    out.add("IP:(malformed)");
                }
            } else {
                out.add(n.toString());
            }
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    static String canonicalIp(String ip) {
        Net.Ip parsed = Net.parseIp(ip);
        return parsed == null ? ip : parsed.toString();
    }

    private static GeneralName[] altNames(X509CertificateHolder cert) {
        GeneralNames names = GeneralNames.fromExtensions(cert.getExtensions(), Extension.subjectAlternativeName);
        return names == null ? new GeneralName[0] : names.getNames();
    }
}
