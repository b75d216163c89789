package io.asupersync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
}
