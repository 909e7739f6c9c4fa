package org.mqttvpn.host.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the broker's certificate is checked. By default against the Java trust store; with a
 * CA file against the certificates in it; with {@code insecure} not at all (the original
 * MQTT_VPN did that silently; here it must be asked for and is warned about).
 */
public record TlsSettings(Path caFile, boolean insecure) {
    public static final TlsSettings DEFAULT = new TlsSettings(null, false);

    /** The socket factory for Paho, or null to use the JVM default trust store. */
    public SSLSocketFactory socketFactory() throws IOException {
        try {
            if (insecure) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
                return ctx.getSocketFactory();
            }
            if (caFile == null) {
                return null;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            Collection<? extends Certificate> certs = certificates(caFile);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("--cafile " + caFile + ": cannot use it as a trust store: " + e.getMessage(), e);
        }
    }

    /**
     * The certificates in a CA file (PEM, or DER), or an IOException that names the file and
     * says what it holds instead. Callers check the file with this before they change anything.
     */
    public static Collection<? extends Certificate> certificates(Path caFile) throws IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IOException("--cafile " + caFile + ": no such file");
        } catch (IOException e) {
            throw new IOException("--cafile " + caFile + ": cannot read it (" + e.getMessage() + ")", e);
        } catch (CertificateException e) {
            throw new IOException("--cafile " + caFile + " is not a CA certificate file (" + e.getMessage()
                    + "): give the certificate of the CA that signed the broker's, in PEM (-----BEGIN CERTIFICATE-----)"
                    + " or DER form", e);
        }
        if (certs.isEmpty()) {
            throw new IOException("--cafile " + caFile + " holds no certificate: give the certificate of the CA that"
                    + " signed the broker's, in PEM (-----BEGIN CERTIFICATE-----) or DER form");
        }
        return certs;
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // the broker does not authenticate us with a certificate here
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // --insecure: the user asked for no verification
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
