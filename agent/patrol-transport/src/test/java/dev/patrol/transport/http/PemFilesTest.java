package dev.patrol.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as openssl writes them, read back and checked against a certificate made from the same file. */
class PemFilesTest {
    @TempDir
    Path dir;

    private Path key(String name, String... opensslArgs) {
        TestCertificates.openssl(dir, opensslArgs);
        return dir.resolve(name);
    }

    /** Signs with the key read here and verifies with the certificate openssl made from the same key file. */
    private void assertMatchesItsCertificate(PrivateKey key, Path keyFile, String signatureAlgorithm) throws Exception {
        Path cert = dir.resolve(keyFile.getFileName() + ".crt");
        TestCertificates.openssl(
                dir,
                "req",
                "-x509",
                "-key",
                keyFile.toString(),
                "-subj",
                "/CN=pem",
                "-days",
                "1",
                "-out",
                cert.toString());
        X509Certificate certificate = PemFiles.certificates(cert).get(0);
        Signature signature = Signature.getInstance(signatureAlgorithm);
        signature.initSign(key);
        signature.update(new byte[] {1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify(certificate.getPublicKey());
        signature.update(new byte[] {1, 2, 3});
        assertThat(signature.verify(signed)).isTrue();
    }

    @Test
    void readsAPkcs1RsaKey() throws Exception {
        Path file = key("rsa.pem", "genrsa", "-traditional", "-out", "rsa.pem", "2048");
        assertThat(Files.readString(file)).contains("-----BEGIN RSA PRIVATE KEY-----");

        PrivateKey key = PemFiles.privateKey(file);

        assertThat(key).isInstanceOf(RSAPrivateCrtKey.class);
        assertMatchesItsCertificate(key, file, "SHA256withRSA");
    }

    @Test
    void readsASec1EcKeyAfterItsParameters() throws Exception {
        Path file = key("ec.pem", "ecparam", "-genkey", "-name", "secp384r1", "-out", "ec.pem");
        assertThat(Files.readString(file)).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");

        PrivateKey key = PemFiles.privateKey(file);

        assertThat(key).isInstanceOf(ECPrivateKey.class);
        assertThat(((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(384);
        assertMatchesItsCertificate(key, file, "SHA384withECDSA");
    }

    @Test
    void readsPkcs8RsaAndEcKeys() throws Exception {
        Path rsa = key("rsa8.pem", "genpkey", "-algorithm", "RSA", "-out", "rsa8.pem");
        Path ec =
                key("ec8.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec8.pem");
        assertThat(Files.readString(ec)).contains("-----BEGIN PRIVATE KEY-----");

        assertMatchesItsCertificate(PemFiles.privateKey(rsa), rsa, "SHA256withRSA");
        assertMatchesItsCertificate(PemFiles.privateKey(ec), ec, "SHA256withECDSA");
    }

    @Test
    void readsTheKeyOfAFileThatAlsoHoldsTheCertificate() throws Exception {
        Path file = key("both.pem", "genrsa", "-traditional", "-out", "both.pem", "2048");
        assertMatchesItsCertificate(PemFiles.privateKey(file), file, "SHA256withRSA");
        Path both = dir.resolve("cert-then-key.pem");
        Files.writeString(both, Files.readString(dir.resolve("both.pem.crt")) + Files.readString(file));

        assertThat(PemFiles.privateKey(both)).isEqualTo(PemFiles.privateKey(file));
    }

    @Test
    void anEncryptedPkcs1KeyIsRejectedWithItsFileName() {
        Path file = key(
                "locked.pem",
                "genrsa",
                "-traditional",
                "-aes256",
                "-passout",
                "pass:secret",
                "-out",
                "locked.pem",
                "2048");

        assertThatThrownBy(() -> PemFiles.privateKey(file))
                .hasMessageContaining("encrypted private keys are not supported")
                .hasMessageContaining("locked.pem");
    }

    @Test
    void aFileWithoutAKeySaysWhichFormsItReads() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pem"), "not a key\n");

        assertThatThrownBy(() -> PemFiles.privateKey(file))
                .hasMessage("no PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) in " + file);
    }

    @Test
    void aDamagedKeyIsAnErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(
                dir.resolve("damaged.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemFiles.privateKey(file))
                .isInstanceOf(java.security.GeneralSecurityException.class)
                .hasMessageContaining("damaged.pem");
    }
}
