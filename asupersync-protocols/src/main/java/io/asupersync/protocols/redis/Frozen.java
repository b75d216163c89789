package io.asupersync.protocols.redis;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Read-only collections the decoder hands to the reply records without a second copy: the records copy
 * any other list or map they are given, but trust these (only this package can make them).
 */
final class Frozen {

  private Frozen() {}

  static List<RespValue> list(List<RespValue> items) {
    if (items instanceof FrozenList f) {
      return f;
    }
    List<RespValue> copy = List.copyOf(items); // rejects null elements
    return new FrozenList(copy.toArray(new RespValue[0]), copy.size());
  }

  static Map<RespValue, RespValue> map(Map<RespValue, RespValue> entries) {
    if (entries instanceof FrozenMap f) {
      return f;
    }
    LinkedHashMap<RespValue, RespValue> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k), java.util.Objects.requireNonNull(v)));
    return new FrozenMap(copy);
  }

  /** Takes ownership of {@code items}: the caller must not touch the array afterwards. */
  static List<RespValue> own(RespValue[] items, int size) {
    return new FrozenList(items, size);
  }

  /** Takes ownership of {@code entries}: the caller must not touch the map afterwards. */
  static Map<RespValue, RespValue> own(LinkedHashMap<RespValue, RespValue> entries) {
    return new FrozenMap(entries);
  }

  private static final class FrozenList extends AbstractList<RespValue> implements RandomAccess {
    private final RespValue[] items;
    private final int size;

    FrozenList(RespValue[] items, int size) {
      this.items = items;
      this.size = size;
    }

    @Override
    public RespValue get(int index) {
      java.util.Objects.checkIndex(index, size);
      return items[index];
    }

    @Override
    public int size() {
      return size;
    }
  }

  private static final class FrozenMap extends AbstractMap<RespValue, RespValue> {
    private final LinkedHashMap<RespValue, RespValue> map;

    FrozenMap(LinkedHashMap<RespValue, RespValue> map) {
      this.map = map;
    }

    @Override
    public Set<Entry<RespValue, RespValue>> entrySet() {
      return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public RespValue get(Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size();
    }
  }
}
