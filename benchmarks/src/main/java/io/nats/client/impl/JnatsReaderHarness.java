package io.nats.client.impl;

import io.nats.client.Options;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives jnats' own protocol reader ({@link NatsConnectionReader}, package-private, hence this
 * class in jnats' package) over bytes in memory: the peer side of {@code NatsDecodeBenchmark}. The
 * reader runs its real loop ({@code run()}) on the calling thread, reading from a data port that
 * hands out the prepared chunks and then stops the reader. Messages go to a connection without
 * subscriptions, which counts and drops them. Not part of any API.
 */
public final class JnatsReaderHarness {

  private final NatsConnection connection;
  private final NatsConnectionReader reader;
  private final AtomicBoolean running;
  private final ChunkPort port;

  public JnatsReaderHarness(byte[][] chunks) throws ReflectiveOperationException {
    Options options = new Options.Builder().server("nats://127.0.0.1:4222").build();
    this.connection = new NatsConnection(options);
    this.reader = new NatsConnectionReader(connection);
    this.port = new ChunkPort(chunks, reader);
    Field future = NatsConnectionReader.class.getDeclaredField("dataPortFuture");
    future.setAccessible(true);
    future.set(reader, CompletableFuture.completedFuture(port));
    Field flag = NatsConnectionReader.class.getDeclaredField("running");
    flag.setAccessible(true);
    this.running = (AtomicBoolean) flag.get(reader);
  }

  /** Parses every chunk once; returns the messages jnats has delivered so far in total. */
  public long readAll() {
    port.rewind();
    running.set(true);
    reader.run();
    return connection.getStatistics().getInMsgs();
  }

  /** Hands out the chunks in order, then stops the reader. */
  private static final class ChunkPort implements DataPort {
    private final byte[][] chunks;
    private final NatsConnectionReader reader;
    private int next;

    ChunkPort(byte[][] chunks, NatsConnectionReader reader) {
      this.chunks = chunks;
      this.reader = reader;
    }

    void rewind() {
      next = 0;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
      if (next == chunks.length) {
        reader.stop(false);
        return 0;
      }
      byte[] chunk = chunks[next++];
      if (chunk.length > len) {
        throw new IllegalStateException("chunk larger than jnats' read buffer");
      }
      System.arraycopy(chunk, 0, dst, off, chunk.length);
      return chunk.length;
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still requires it
    public void connect(String serverURI, NatsConnection conn, long timeoutNanos) {}

    @Override
    public void upgradeToSecure() {}

    @Override
    public void write(byte[] src, int toWrite) {}

    @Override
    public void shutdownInput() {}

    @Override
    public void close() {}

    @Override
    public void flush() throws IOException {}
  }
}
