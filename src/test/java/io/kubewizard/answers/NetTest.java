package io.kubewizard.answers;

import io.kubewizard.answers.Net.HostPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address parsing every rule leans on, without DNS. */
class NetTest {
    @Test
    void ipv4IsFourDecimalOctets() {
        assertEquals("10.0.0.1", Net.parseIp("10.0.0.1").toString());
        assertEquals("255.255.255.255", Net.parseIp("255.255.255.255").toString());
        assertEquals("0.0.0.0", Net.parseIp("0.0.0.0").toString());
        for (String bad : List.of("", "1", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "256.1.1.1",
                "1.2.3.1000", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1.2.3.+4", "a.b.c.d",
                "\u0661.\u0662.\u0663.\u0664", "1.2.3.4/24", "9999999999.1.1.1")) {
            assertNull(Net.parseIp(bad), bad);
        }
    }

    @Test
    void ipv6FollowsRfc4291AndPrintsCompressed() {
        assertEquals("fd00::1", Net.parseIp("fd00:0:0:0:0:0:0:1").toString());
        assertEquals("::", Net.parseIp("::").toString());
        assertEquals("::ffff:a00:1", Net.parseIp("::ffff:10.0.0.1").toString());
        for (String bad : List.of(":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", "g::1",
                "1:2:3:4:5:6:7", "::10.0.0.1:1")) {
            assertNull(Net.parseIp(bad), bad);
        }
    }

    @Test
    void cidrsParseAndCompare() {
        var pod = Net.parseCidr("192.168.0.0/16");
        assertTrue(pod.aligned());
        assertTrue(pod.contains(Net.parseIp("192.168.255.255")));
        assertFalse(pod.contains(Net.parseIp("192.169.0.0")));
        assertTrue(pod.overlaps(Net.parseCidr("192.0.0.0/8")));
        assertFalse(pod.overlaps(Net.parseCidr("10.96.0.0/12")));
        assertEquals("10.96.0.0/12", Net.parseCidr("10.100.0.0/12").normalized());
        for (String bad : List.of("10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/1a", "fd00::/129", "/8")) {
            assertNull(Net.parseCidr(bad), bad);
        }
    }

    @Test
    void hostPortSplitsAndRefusesBadPorts() {
        assertEquals(new HostPort("api.example.com", 6443), HostPort.parse("api.example.com:6443"));
        assertEquals(new HostPort("10.0.0.1", -1), HostPort.parse("10.0.0.1"));
        assertEquals(new HostPort("fd00::1", 6443), HostPort.parse("[fd00::1]:6443"));
        assertEquals(-2, HostPort.parse("10.0.0.1:0").port());
        assertEquals(-2, HostPort.parse("10.0.0.1:65536").port());
        assertEquals(-2, HostPort.parse("10.0.0.1:").port());
        assertEquals(-2, HostPort.parse("[fd00::1").port());
        assertEquals("[fd00::1]:6443", HostPort.format("fd00::1", 6443));
    }

    @Test
    void hostNamesAreNotAllDigits() {
        assertTrue(Net.isHostName("cp1.example.com"));
        assertTrue(Net.isHostName("CP1.Example.com."));
        assertFalse(Net.isHostName("10.0.0"));
        assertFalse(Net.isHostName("-cp1"));
        assertFalse(Net.isHostName("a..b"));
    }
}
