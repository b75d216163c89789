package io.asupersync.protocols.redis;

/** An end of a Redis list: {@code LEFT} is the head (LPUSH, LPOP), {@code RIGHT} the tail. */
public enum ListSide {
  LEFT,
  RIGHT
}
