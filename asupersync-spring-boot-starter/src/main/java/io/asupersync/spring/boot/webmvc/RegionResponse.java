package io.asupersync.spring.boot.webmvc;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * The response as a request region's handler sees it: explicit flushes and the content length are held
 * back (a container completes a response as soon as the declared length is written), so a response that
 * fits the container's buffer reaches the client only after the region closed and {@link #release()}
 * ran: every task the handler spawned has finished. A body larger than the buffer still streams as the
 * buffer fills.
 */
final class RegionResponse extends HttpServletResponseWrapper {

  private static final String CONTENT_LENGTH = "Content-Length";

  private @Nullable ServletOutputStream outputStream;
  private @Nullable PrintWriter writer;
  private long contentLength = -1;

  RegionResponse(HttpServletResponse response) {
    super(response);
  }

  /** Declares the held content length, if the response is not committed yet; call once the region closed. */
  void release() {
    HttpServletResponse response = (HttpServletResponse) getResponse();
    if (contentLength >= 0 && !response.isCommitted()) {
      response.setContentLengthLong(contentLength);
    }
  }

  @Override
  public void setContentLength(int len) {
    contentLength = len;
  }

  @Override
  public void setContentLengthLong(long len) {
    contentLength = len;
  }

  @Override
  public void setHeader(String name, @Nullable String value) {
    if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
      contentLength = value == null ? -1 : Long.parseLong(value.trim());
    } else {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, @Nullable String value) {
    if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
      setHeader(name, value);
    } else {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
      contentLength = value;
    } else {
      super.setIntHeader(name, value);
    }
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
      contentLength = value;
    } else {
      super.addIntHeader(name, value);
    }
  }

  @Override
  public void flushBuffer() {
    // held back until the region closes; the container flushes when the request completes
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (outputStream == null) {
      outputStream = new HeldFlushOutputStream(super.getOutputStream());
    }
    return outputStream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(super.getWriter(), false) {
        @Override
        public void flush() {
          // held back, as for the output stream
        }
      };
    }
    return writer;
  }

  private static final class HeldFlushOutputStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    HeldFlushOutputStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      delegate.write(b, off, len);
    }

    @Override
    public void flush() {
      // held back until the region closes
    }

    @Override
    public void close() {
      // closing would complete the response before the region closed; the container closes it
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }
}
