package io.kubewizard.answers;

import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The records whose equals and hashCode are written out (a generated one is bootstrapped on first
 * use, which a start pays for) compare exactly as a generated one would: equal components give
 * equal records and hash codes, and a change in any one component, a component added later
 * included, makes them differ.
 */
class SpecEqualityTest {
    private static final Ssh SSH = new Ssh("root", 22, "~/.ssh/id_ed25519", true, "bastion.example", "~/.ssh/known_hosts", Become.SUDO);
    private static final Host HOST = new Host("cp1", "10.0.0.11", "10.0.1.11", List.of(Role.CONTROL_PLANE), "zone-a",
            Map.of("tier", "a"), List.of("dedicated=cp:NoSchedule"), SSH, false);
    private static final Net.Ip IP = new Net.Ip(BigInteger.valueOf(167772171), 32);

    @Test
    void sshComparesEveryComponent() throws Exception {
        assertComparesEveryComponent(SSH);
        assertTrue(Ssh.none().isEmpty());
        for (Object changed : changedInEachComponent(Ssh.none())) assertTrue(!((Ssh) changed).isEmpty(), changed::toString);
    }

    @Test
    void hostComparesEveryComponent() throws Exception {
        assertComparesEveryComponent(HOST);
    }

    @Test
    void anAddressComparesItsValueAndWidth() throws Exception {
        assertComparesEveryComponent(IP);
        assertEquals(Net.parseIp("10.0.0.11"), IP);
    }

    private static void assertComparesEveryComponent(Record base) throws Exception {
        Record copy = rebuild(base, -1, null);
        assertNotSame(base, copy);
        assertEquals(base, copy);
        assertEquals(base.hashCode(), copy.hashCode());
        assertNotEquals(base, null);
        assertNotEquals(base, "a string");
        List<Object> changed = changedInEachComponent(base);
        assertEquals(base.getClass().getRecordComponents().length, changed.size());
        for (Object other : changed) {
            assertNotEquals(base, other, () -> "differs in one component: " + other);
            assertNotEquals(other, base, () -> "differs in one component: " + other);
        }
    }

    private static List<Object> changedInEachComponent(Record base) throws Exception {
        RecordComponent[] components = base.getClass().getRecordComponents();
        Object[] changed = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            changed[i] = rebuild(base, i, other(components[i].getType(), components[i].getAccessor().invoke(base)));
        }
        return Arrays.asList(changed);
    }

    /** A copy of base through its canonical constructor, with component {@code index} replaced (-1: none). */
    private static Record rebuild(Record base, int index, Object value) throws Exception {
        RecordComponent[] components = base.getClass().getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) args[i] = i == index ? value : components[i].getAccessor().invoke(base);
        Constructor<?> canonical = base.getClass().getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return (Record) canonical.newInstance(args);
    }

    /** A value of the type that differs from {@code now} (which may be null). */
    private static Object other(Class<?> type, Object now) {
        if (type == String.class) return now == null ? "x" : now + "x";
        if (type == Integer.class || type == int.class) return now == null ? 1 : (Integer) now + 1;
        if (type == Boolean.class || type == boolean.class) return now == null ? Boolean.TRUE : !(Boolean) now;
        if (type == BigInteger.class) return ((BigInteger) now).add(BigInteger.ONE);
        if (type == List.class) return List.of(Role.WORKER);
        if (type == Map.class) return Map.of("tier", "b");
        if (type == Become.class) return now == Become.NONE ? Become.SUDO : Become.NONE;
        if (type == Ssh.class) return new Ssh("admin", null, null, null, null, null, null);
        throw new AssertionError("no other value for " + type + ": extend SpecEqualityTest.other");
    }
}
