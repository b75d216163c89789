package io.asupersync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

class StripedSetTests {

  @Test
  void membersAddedFromManyThreadsAreListedAndCountedUntilRemovedFromTheirStripe() throws Exception {
    StripedSet<Integer> set = new StripedSet<>();
    ConcurrentMap<Integer, Integer> stripes = new ConcurrentHashMap<>();
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int base = t * 100;
      adders.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 100; i++) {
          stripes.put(base + i, set.add(base + i));
        }
      }));
    }
    for (Thread t : adders) {
      t.join();
    }
    assertThat(set.size()).isEqualTo(800);
    assertThat(set.toList()).hasSize(800).doesNotHaveDuplicates();
    assertThat(stripes.values().stream().distinct().count()).as("threads spread over stripes").isGreaterThan(1);

    // removed from another thread, with the stripe add returned
    for (int i = 0; i < 800; i += 2) {
      set.remove(i, stripes.get(i));
    }
    assertThat(set.size()).isEqualTo(400);
    assertThat(set.toList()).allMatch(i -> i % 2 == 1);
  }

  @Test
  void aMemberIsRemovedOnlyFromItsOwnStripe() {
    StripedSet<String> set = new StripedSet<>();
    int stripe = set.add("a");
    set.remove("a", stripe == 0 ? 1 : 0);
    assertThat(set.toList()).containsExactly("a");
    set.remove("a", stripe);
    assertThat(set.size()).isZero();
  }

  @Test
  void slotsFreedByRemovalAreReusedWithoutLosingOrDuplicatingMembers() throws Exception {
    StripedSet<String> set = new StripedSet<>();
    // one thread: one stripe, grown past its first array and then churned
    Map<String, Integer> handles = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      handles.put("m" + i, set.add("m" + i));
    }
    for (int i = 0; i < 100; i += 3) {
      set.remove("m" + i, handles.remove("m" + i));
    }
    for (int i = 100; i < 150; i++) {
      handles.put("m" + i, set.add("m" + i));
    }
    assertThat(set.toList()).containsExactlyInAnyOrderElementsOf(handles.keySet());
    assertThat(set.size()).isEqualTo(handles.size());

    // a stale handle names a slot now held by another member: nothing happens
    int m1 = handles.remove("m1");
    set.remove("m1", m1);
    int reused = set.add("again");
    assertThat(reused).as("the freed slot is reused").isEqualTo(m1);
    set.remove("m1", m1);
    assertThat(set.toList()).contains("again").doesNotContain("m1");
    handles.put("again", reused);

    // removed from another thread with the handles add returned
    Thread remover = Thread.ofPlatform().start(() -> handles.forEach(set::remove));
    remover.join();
    assertThat(set.toList()).isEmpty();
    assertThat(set.size()).isZero();
  }
}
