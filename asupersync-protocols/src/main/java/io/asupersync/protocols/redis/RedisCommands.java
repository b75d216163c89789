package io.asupersync.protocols.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the client knows about individual commands: which block, which change connection state, and how to undo a pop nobody received. */
final class RedisCommands {

  private RedisCommands() {}

  /** Commands the server may hold unanswered; a cancelled one is woken with CLIENT UNBLOCK. */
  private static final Set<String> BLOCKING = Set.of(
      "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP",
      "XREAD", "XREADGROUP", "WAIT", "WAITAOF");

  /** Commands that change what a connection is (and so must not run on a shared pooled connection). */
  private static final Set<String> CONNECTION_STATE = Set.of(
      "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
      "MONITOR", "RESET", "QUIT", "HELLO", "AUTH", "SELECT", "SYNC", "PSYNC", "REPLCONF");

  /** Transaction commands: fine on a dedicated connection, refused on a pooled one. */
  private static final Set<String> TRANSACTION = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

  /**
   * Moves an element back from where BLMOVE put it, only if it is still there (so a second undo or a
   * racing commit cannot duplicate it). KEYS: source, destination; ARGV: element, LREM count (1 from
   * the head, -1 from the tail), the push command for the source side.
   */
  static final String MOVE_BACK_SCRIPT =
      "if redis.call('LREM', KEYS[2], ARGV[2], ARGV[1]) > 0 then "
          + "redis.call(ARGV[3], KEYS[1], ARGV[1]) return 1 end return 0";

  static boolean isBlocking(List<RedisCommand> commands) {
    for (RedisCommand c : commands) {
      if (BLOCKING.contains(c.name())) {
        return true;
      }
    }
    return false;
  }

  /** Refuses what would leave a pooled connection different from the next borrower's expectations. */
  static void checkPooled(RedisCommand command) {
    checkDedicated(command);
    if (TRANSACTION.contains(command.name())) {
      throw new IllegalArgumentException(command.name() + " needs one connection for the whole transaction: use RedisClient.transaction or dedicated");
    }
    if (command.name().equals("CLIENT") && !command.args().isEmpty()) {
      String sub = command.arg(0).toUpperCase(Locale.ROOT);
      if (sub.equals("TRACKING") || sub.equals("SETNAME") || sub.equals("NO-EVICT") || sub.equals("NO-TOUCH")) {
        throw new IllegalArgumentException("CLIENT " + sub + " changes the connection: use RedisClient.dedicated");
      }
    }
  }

  /** Refuses what a request/reply connection cannot carry at all. */
  static void checkDedicated(RedisCommand command) {
    if (CONNECTION_STATE.contains(command.name())) {
      throw new IllegalArgumentException(command.name() + " changes the connection's protocol state: "
          + "use the client's builder (AUTH, SELECT, HELLO) or RedisClient.subscriber (SUBSCRIBE)");
    }
    if (command.name().equals("CLIENT") && !command.args().isEmpty() && command.arg(0).equalsIgnoreCase("REPLY")) {
      throw new IllegalArgumentException("CLIENT REPLY would break reply ordering");
    }
  }

  static boolean isTransactionState(String name) {
    return TRANSACTION.contains(name);
  }

  /**
   * The command that gives back what {@code command} took, when its {@code reply} reached no caller:
   * a popped list element is pushed back where it was (BLPOP, BRPOP, BLMPOP), a moved one is moved
   * back (BLMOVE, BRPOPLPUSH), a popped sorted-set member is re-added with its score (BZPOPMIN/MAX).
   * Null when there is nothing to undo (a timeout's null reply, or a command that takes nothing).
   * Stream reads need none: what XREADGROUP delivered stays pending in the group until claimed.
   */
  static @Nullable RedisCommand undo(RedisCommand command, RespValue reply) {
    if (reply instanceof RespValue.NullReply || reply instanceof RespValue.ErrorReply) {
      return null;
    }
    List<byte[]> a = command.args();
    return switch (command.name()) {
      case "BLPOP", "BRPOP" -> {
        List<RespValue> kv = reply.elements();
        if (kv.size() != 2 || !(kv.get(0) instanceof RespValue.BulkString key) || !(kv.get(1) instanceof RespValue.BulkString value)) {
          yield null;
        }
        yield new RedisCommand(command.name().equals("BLPOP") ? "LPUSH" : "RPUSH", List.of(key.bytes(), value.bytes()));
      }
      case "BLMOVE" -> a.size() == 5 && reply instanceof RespValue.BulkString v
          ? moveBack(a.get(0), a.get(1), v.bytes(), text(a.get(2)), text(a.get(3)))
          : null;
      case "BRPOPLPUSH" -> a.size() == 3 && reply instanceof RespValue.BulkString v
          ? moveBack(a.get(0), a.get(1), v.bytes(), "RIGHT", "LEFT")
          : null;
      case "BLMPOP" -> {
        // BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT n] -> [key, [elements]]
        List<RespValue> kv = reply.elements();
        int numKeys;
        try {
          numKeys = Integer.parseInt(text(a.get(1)));
        } catch (RuntimeException e) {
          yield null;
        }
        if (kv.size() != 2 || !(kv.get(0) instanceof RespValue.BulkString key) || a.size() < 3 + numKeys) {
          yield null;
        }
        boolean left = text(a.get(2 + numKeys)).equalsIgnoreCase("LEFT");
        List<byte[]> args = new ArrayList<>();
        args.add(key.bytes());
        for (RespValue e : kv.get(1).elements()) {
          if (e instanceof RespValue.BulkString b) {
            args.add(b.bytes());
          }
        }
        // Pushing the popped elements in reverse order restores the original order on that side.
        Collections.reverse(args.subList(1, args.size()));
        yield args.size() < 2 ? null : new RedisCommand(left ? "LPUSH" : "RPUSH", args);
      }
      case "LPOP", "RPOP" -> {
        // LPOP key -> element; LPOP key count -> [elements]: push back in reverse to restore the order.
        List<byte[]> args = new ArrayList<>();
        args.add(a.get(0));
        if (reply instanceof RespValue.BulkString v) {
          args.add(v.bytes());
        } else {
          for (RespValue e : reply.elements()) {
            if (e instanceof RespValue.BulkString b) {
              args.add(b.bytes());
            }
          }
          Collections.reverse(args.subList(1, args.size()));
        }
        yield args.size() < 2 ? null : new RedisCommand(command.name().equals("LPOP") ? "LPUSH" : "RPUSH", args);
      }
      case "LMOVE" -> a.size() == 4 && reply instanceof RespValue.BulkString v
          ? moveBack(a.get(0), a.get(1), v.bytes(), text(a.get(2)), text(a.get(3)))
          : null;
      case "RPOPLPUSH" -> a.size() == 2 && reply instanceof RespValue.BulkString v
          ? moveBack(a.get(0), a.get(1), v.bytes(), "RIGHT", "LEFT")
          : null;
      case "SPOP" -> {
        List<byte[]> args = new ArrayList<>();
        args.add(a.get(0));
        if (reply instanceof RespValue.BulkString v) {
          args.add(v.bytes());
        }
        for (RespValue e : reply.elements()) {
          if (e instanceof RespValue.BulkString b) {
            args.add(b.bytes());
          }
        }
        yield args.size() < 2 ? null : new RedisCommand("SADD", args);
      }
      case "ZPOPMIN", "ZPOPMAX" -> zadd(a.get(0), reply.elements());
      case "BZPOPMIN", "BZPOPMAX" -> {
        List<RespValue> kms = reply.elements();
        if (kms.size() != 3 || !(kms.get(0) instanceof RespValue.BulkString key) || !(kms.get(1) instanceof RespValue.BulkString member)) {
          yield null;
        }
        String score = kms.get(2).asString();
        yield score == null ? null : new RedisCommand("ZADD", List.of(key.bytes(), bytes(score), member.bytes()));
      }
      default -> null;
    };
  }

  /**
   * ZADD of popped members: RESP2 answers a flat [member, score, ...], RESP3 a list of [member, score]
   * pairs.
   */
  private static @Nullable RedisCommand zadd(byte[] key, List<RespValue> items) {
    List<RespValue> flat = new ArrayList<>();
    for (RespValue item : items) {
      if (item instanceof RespValue.ArrayReply pair) {
        flat.addAll(pair.items());
      } else {
        flat.add(item);
      }
    }
    List<byte[]> args = new ArrayList<>();
    args.add(key);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      String score = flat.get(i + 1).asString();
      if (!(flat.get(i) instanceof RespValue.BulkString member) || score == null) {
        return null;
      }
      args.add(bytes(score));
      args.add(member.bytes());
    }
    return args.size() < 3 ? null : new RedisCommand("ZADD", args);
  }

  /** Undo of BLMOVE source destination from to: take the element out of destination, put it back into source. */
  static RedisCommand moveBack(byte[] source, byte[] destination, byte[] element, String from, String to) {
    String count = to.equalsIgnoreCase("LEFT") ? "1" : "-1";
    String push = from.equalsIgnoreCase("LEFT") ? "LPUSH" : "RPUSH";
    return new RedisCommand("EVAL", List.of(
        bytes(MOVE_BACK_SCRIPT), bytes("2"), source, destination, element, bytes(count), bytes(push)));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
