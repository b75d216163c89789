package io.asupersync.protocols.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One command: its name and arguments, sent as a RESP array of bulk strings. Traces and counters see
 * only {@link #name()}, never the arguments.
 *
 * @param name the command name, upper-cased ({@code SET}, {@code XREADGROUP})
 * @param args the arguments as bytes
 */
public record RedisCommand(String name, List<byte[]> args) {

  /** Longest command name accepted; longer ones cannot be a Redis command and would bloat the counters. */
  static final int MAX_NAME = 32;

  public RedisCommand {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch(RedisCommand::nameChar)) {
      throw new IllegalArgumentException("not a command name: letters, digits, '_' and '-', at most " + MAX_NAME);
    }
    name = name.toUpperCase(Locale.ROOT);
    args = Collections.unmodifiableList(new ArrayList<>(args));
  }

  /**
   * A command with arguments given as {@link CharSequence} (sent as UTF-8), {@code byte[]} or {@link
   * Number} (sent in decimal).
   *
   * @throws IllegalArgumentException for an argument of any other type
   */
  public static RedisCommand of(String name, Object... args) {
    List<byte[]> bytes = new ArrayList<>(args.length);
    for (Object arg : args) {
      bytes.add(toBytes(arg));
    }
    return new RedisCommand(name, bytes);
  }

  static byte[] toBytes(Object arg) {
    return switch (arg) {
      case byte[] b -> b.clone();
      case CharSequence s -> s.toString().getBytes(StandardCharsets.UTF_8);
      case Long l -> Long.toString(l).getBytes(StandardCharsets.US_ASCII);
      case Integer i -> Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
      case Number n -> n.toString().getBytes(StandardCharsets.US_ASCII);
      default -> throw new IllegalArgumentException("argument of type " + arg.getClass().getName() + ": pass a String, byte[] or Number");
    };
  }

  private static boolean nameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  /** The argument at {@code index} as UTF-8 text. */
  String arg(int index) {
    return new String(args.get(index), StandardCharsets.UTF_8);
  }

  /** Appends this command in RESP to {@code out}. */
  void encode(ByteBuf out) {
    out.writeByte('*');
    writeDecimal(out, 1 + args.size());
    writeBulk(out, name.getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      writeBulk(out, arg);
    }
  }

  /** {@code commands} in RESP, in one buffer: one write, one flush. */
  static ByteBuf encode(ByteBufAllocator alloc, List<RedisCommand> commands) {
    int size = 0;
    for (RedisCommand c : commands) {
      size += 16 + c.name.length();
      for (byte[] a : c.args) {
        size += 16 + a.length;
      }
    }
    ByteBuf out = alloc.buffer(size);
    for (RedisCommand c : commands) {
      c.encode(out);
    }
    return out;
  }

  private static void writeBulk(ByteBuf out, byte[] bytes) {
    out.writeByte('$');
    writeDecimal(out, bytes.length);
    out.writeBytes(bytes);
    out.writeByte('\r').writeByte('\n');
  }

  private static void writeDecimal(ByteBuf out, int value) {
    out.writeCharSequence(Integer.toString(value), StandardCharsets.US_ASCII);
    out.writeByte('\r').writeByte('\n');
  }

  @Override
  public String toString() {
    return "RedisCommand[" + name + ", " + args.size() + " args]";
  }
}
