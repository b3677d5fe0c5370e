package io.kubewizard.pki;

/** LiveCertsTest's certificates for tests of other packages. */
public final class LiveCertsTestAccess {
    private LiveCertsTestAccess() {}

    /** A CA valid {@code caDays} from 2026-12-02 and a leaf it signed valid {@code leafDays} and an hour: their PEM. */
    public static String[] pems(long caDays, long leafDays) throws Exception {
        return LiveCertsTest.pems(caDays, leafDays);
    }
}
