package dev.patrol.transport.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and unencrypted private keys with the JDK alone. Keys may be PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}); the last two are what
 * {@code openssl genrsa -traditional} and {@code openssl ecparam -genkey} write, and are wrapped into PKCS#8 here
 * because that is the only form the JDK's key factories take. Shared by the HTTP client (client certificates, CAs) and
 * the web endpoint (server certificate, client CAs). Stateless and thread-safe.
 */
public final class PemFiles {
    /** The password of the in-memory key stores built here; they never touch a disk. */
    public static final char[] NO_PASSWORD = new char[0];

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = Der.sequence(
            Der.oid(new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01}),
            new byte[] {0x05, 0x00});
    private static final byte[] EC_PUBLIC_KEY_OID =
            Der.oid(new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01});

    private PemFiles() {}

    /** Every certificate in the file, in order; fails when there is none. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] pem = Files.readAllBytes(file);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> result = new ArrayList<>();
        for (Certificate certificate : factory.generateCertificates(new ByteArrayInputStream(pem))) {
            result.add((X509Certificate) certificate);
        }
        if (result.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in " + file);
        }
        return result;
    }

    /** The first private key in the file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher matcher = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            String type = matcher.group(1);
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
                case "EC PRIVATE KEY":
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrapSec1(der, file)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("encrypted private keys are not supported: " + file);
                default:
                    // EC PARAMETERS and certificates may share the file; skip them.
            }
        }
        throw new GeneralSecurityException("no PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) in " + file);
    }

    /** An in-memory store holding {@code key} with {@code chain} under the alias {@code alias}. */
    public static KeyStore keyStore(String alias, PrivateKey key, List<X509Certificate> chain)
            throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry(alias, key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
        return store;
    }

    /** An in-memory store trusting each of {@code certificates}. */
    public static KeyStore trustStore(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        return store;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an in-memory key store", e);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // Not this algorithm; try the next.
            }
        }
        throw new GeneralSecurityException("unsupported PKCS#8 key algorithm in " + file);
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING RSAPrivateKey }. */
    static byte[] wrapPkcs1(byte[] rsaPrivateKey) {
        return Der.sequence(Der.INTEGER_ZERO, RSA_ALGORITHM, Der.octetString(rsaPrivateKey));
    }

    /** PrivateKeyInfo { version 0, { id-ecPublicKey, curve }, OCTET STRING ECPrivateKey }; the curve comes from [0]. */
    static byte[] wrapSec1(byte[] ecPrivateKey, Path file) throws GeneralSecurityException {
        byte[] curve = Der.contextElement(ecPrivateKey, 0);
        if (curve == null) {
            throw new GeneralSecurityException("EC private key without curve parameters in " + file);
        }
        return Der.sequence(Der.INTEGER_ZERO, Der.sequence(EC_PUBLIC_KEY_OID, curve), Der.octetString(ecPrivateKey));
    }

    /** Just enough DER to wrap a key: definite lengths, no validation beyond bounds. */
    static final class Der {
        static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

        private Der() {}

        static byte[] sequence(byte[]... elements) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] element : elements) {
                content.writeBytes(element);
            }
            return tlv(0x30, content.toByteArray());
        }

        static byte[] oid(byte[] encoded) {
            return tlv(0x06, encoded);
        }

        static byte[] octetString(byte[] content) {
            return tlv(0x04, content);
        }

        static byte[] tlv(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        /**
         * The content of the explicitly tagged element {@code [tag]} directly inside the outer SEQUENCE of
         * {@code der}, or {@code null}.
         */
        static byte[] contextElement(byte[] der, int tag) throws GeneralSecurityException {
            int[] outer = header(der, 0);
            int position = outer[0];
            int end = Math.min(der.length, outer[0] + outer[1]);
            while (position < end) {
                int[] element = header(der, position);
                if ((der[position] & 0xff) == (0xa0 | tag)) {
                    byte[] content = new byte[element[1]];
                    System.arraycopy(der, element[0], content, 0, element[1]);
                    return content;
                }
                position = element[0] + element[1];
            }
            return null;
        }

        /** {content offset, content length} of the element starting at {@code offset}. */
        private static int[] header(byte[] der, int offset) throws GeneralSecurityException {
            if (offset + 2 > der.length) {
                throw new GeneralSecurityException("truncated DER key");
            }
            int length = der[offset + 1] & 0xff;
            int position = offset + 2;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 4 || position + bytes > der.length) {
                    throw new GeneralSecurityException("malformed DER length in key");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[position++] & 0xff);
                }
            }
            if (length < 0 || position + length > der.length) {
                throw new GeneralSecurityException("truncated DER key");
            }
            return new int[] {position, length};
        }
    }
}
