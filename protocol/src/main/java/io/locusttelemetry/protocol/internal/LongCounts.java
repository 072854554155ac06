package io.locusttelemetry.protocol.internal;

import java.security.SecureRandom;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A read-only, insertion-ordered map of integers to integers held in two {@code long} arrays: what
 * the decoder makes of a map whose keys and values are all integers (a report's histograms and
 * per-second counts, most of a stats frame's values). Nothing is boxed until a caller asks for a
 * {@link Long}; readers inside the protocol take the pairs by index ({@link #keyAt}, {@link #valueAt}).
 *
 * <p>Built only by the decoder, which may repeat a key (a Python dict keeps the first position and
 * the last value, and so does this): past a few entries an open-addressing index, hashed with a
 * seed drawn at start-up, finds the key, so no order, repetition or choice of keys costs more
 * than a few probes per entry.
 */
public final class LongCounts extends AbstractMap<Long, Long> {
    /** Up to this many entries a repeated key is found by scanning. */
    private static final int SCAN_MAX = 8;
    private static final long SEED = new SecureRandom().nextLong();

    private long[] keys;
    private long[] values;
    private int size;
    /** Positions + 1 by hash of the key (0: free); null while the map is small. */
    private int[] index;

    /** True while every key was above the one before: then a new key cannot be a repeated one. */
    private boolean ascending = true;

    /** The entries the map declared (capped by the decoder), so that its index is built once. */
    private final int expected;

    LongCounts(int expected) {
        this.expected = expected;
        int n = Math.max(4, expected);
        keys = new long[n];
        values = new long[n];
    }

    /** Sets {@code key} to {@code value}: a new key goes last, a repeated one keeps its place. */
    void put(long key, long value) {
        // jlocust's workers list their buckets and seconds in ascending order: no look-up needed
        if (ascending && (size == 0 || key > keys[size - 1])) {
            append(key, value);
            return;
        }
        if (ascending) {
            ascending = false;
            if (expected > SCAN_MAX) {
                rebuildIndex();
            }
        }
        int at = find(key);
        if (at >= 0) {
            values[at] = value;
            return;
        }
        append(key, value);
        if (index != null) {
            if (size * 2 > index.length) {
                rebuildIndex();
            } else {
                insert(size - 1);
            }
        } else if (size > SCAN_MAX) {
            rebuildIndex();
        }
    }

    private void append(long key, long value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }

    /** The same pairs as a generic map, for a decoder that meets a value that is not an integer. */
    LinkedHashMap<Object, Object> toGeneric() {
        LinkedHashMap<Object, Object> out = LinkedHashMap.newLinkedHashMap(Math.max(size, 4));
        for (int i = 0; i < size; i++) {
            out.put(keys[i], values[i]);
        }
        return out;
    }

    /** The {@code i}-th key, in insertion order. */
    public long keyAt(int i) {
        return keys[checked(i)];
    }

    /** The {@code i}-th value, in insertion order. */
    public long valueAt(int i) {
        return values[checked(i)];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Long k && find(k) >= 0;
    }

    @Override
    public Long get(Object key) {
        if (!(key instanceof Long k)) {
            return null;
        }
        int at = find(k);
        return at < 0 ? null : values[at];
    }

    @Override
    public Long getOrDefault(Object key, Long defaultValue) {
        Long v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    public void forEach(BiConsumer<? super Long, ? super Long> action) {
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<Long, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<Long, Long>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<Long, Long> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }

    private int checked(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }

    private int find(long key) {
        if (ascending) {
            int at = Arrays.binarySearch(keys, 0, size, key);
            return at >= 0 ? at : -1;
        }
        if (index == null) {
            for (int i = 0; i < size; i++) {
                if (keys[i] == key) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            int at = index[slot] - 1;
            if (at < 0) {
                return -1;
            }
            if (keys[at] == key) {
                return at;
            }
        }
    }

    private void rebuildIndex() {
        // room for what the map declared (the decoder caps that at 1,024), so that a map is indexed once
        int room = Math.max(size + 1, expected);
        index = new int[Integer.highestOneBit(Math.max(room, SCAN_MAX) * 4 - 1) << 1];
        for (int i = 0; i < size; i++) {
            insert(i);
        }
    }

    private void insert(int at) {
        int mask = index.length - 1;
        int slot = hash(keys[at]) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = at + 1;
    }

    /**
     * A keyed mix of the key: the seed is drawn when the JVM starts, so a peer cannot choose keys
     * that crowd one part of the index (every bit of the key moves every bit of the hash).
     */
    private static int hash(long key) {
        long h = (key ^ SEED) * 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
