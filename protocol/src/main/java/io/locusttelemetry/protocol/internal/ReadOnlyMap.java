package io.locusttelemetry.protocol.internal;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An insertion-ordered map nobody can change: the one copy a decoded message's records hold.
 * {@link Values#frozen(Map)} copies any other map into one and passes one of these through as it
 * is, so a value decoded once (a report's histograms) is not copied again by every record that
 * takes it in.
 */
final class ReadOnlyMap<K, V> extends AbstractMap<K, V> {
    private static final ReadOnlyMap<Object, Object> EMPTY = new ReadOnlyMap<>(new LinkedHashMap<>());

    private final Map<K, V> map;

    /** Takes {@code owned}, which no one else may hold or change. */
    ReadOnlyMap(LinkedHashMap<K, V> owned) {
        this.map = owned;
    }

    /** The empty one (which, unlike {@code Map.of()}, answers a null key as a HashMap does). */
    @SuppressWarnings("unchecked")
    static <K, V> ReadOnlyMap<K, V> empty() {
        return (ReadOnlyMap<K, V>) EMPTY;
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return map.containsValue(value);
    }

    @Override
    public V get(Object key) {
        return map.get(key);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return map.getOrDefault(key, defaultValue);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(map.keySet());
    }

    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(map.values());
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        map.forEach(action);
    }
}
