package io.asupersync.protocols.grpc;

import io.asupersync.Cx;
import io.asupersync.protocols.grpc.internal.GrpcHeaders;
import io.asupersync.protocols.grpc.internal.MessageDeframer;
import io.asupersync.protocols.grpc.internal.MessageFramer;
import io.asupersync.protocols.grpc.internal.PercentEncoding;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpRequest;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RequestBody;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one call: reads requests off the HTTP/2 request body through a deframer, collects
 * the response metadata, frames responses. The request side is used by one task at a time (the
 * handler's); metadata may be added from the handler's task while the request task reads a snapshot,
 * hence the lock on the metadata.
 */
final class ServerCallImpl<Req, Resp> implements ServerCall, MessageReader<Req> {

  private final MethodDescriptor<Req, Resp> method;
  private final HttpRequest request;
  private final @Nullable Instant deadline;
  private final GrpcLimits limits;
  private final GrpcRouter.Tracer tracer;
  private final MessageDeframer deframer;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>(2);
  private boolean ended;
  private boolean failureCounted;
  private @Nullable HttpHeaders metadata;

  // Guarded by this.
  private final HttpHeaders.Builder headers = HttpHeaders.builder();
  private final HttpHeaders.Builder trailers = HttpHeaders.builder();
  private long headerBytes;
  private long trailerBytes;
  private @Nullable HttpHeaders head;

  ServerCallImpl(MethodDescriptor<Req, Resp> method, HttpRequest request, @Nullable Instant deadline, GrpcLimits limits, GrpcRouter.Tracer tracer) {
    this.method = method;
    this.request = request;
    this.deadline = deadline;
    this.limits = limits;
    this.tracer = tracer;
    this.deframer = new MessageDeframer(limits.maxInboundMessageBytes(), request.headers().first(GrpcHeaders.GRPC_ENCODING));
  }

  @Override
  public MethodDescriptor<?, ?> method() {
    return method;
  }

  @Override
  public HttpHeaders requestMetadata() {
    HttpHeaders m = metadata;
    if (m == null) {
      HttpHeaders.Builder b = HttpHeaders.builder();
      for (Map.Entry<String, String> field : request.headers()) {
        switch (field.getKey()) {
          case GrpcHeaders.CONTENT_TYPE, GrpcHeaders.TE, GrpcHeaders.GRPC_TIMEOUT, GrpcHeaders.GRPC_ENCODING, GrpcHeaders.GRPC_ACCEPT_ENCODING -> {}
          default -> b.add(field.getKey(), field.getValue());
        }
      }
      m = b.build();
      metadata = m;
    }
    return m;
  }

  @Override
  public @Nullable Instant deadline() {
    return deadline;
  }

  @Override
  public synchronized void addHeader(String name, String value) {
    if (head != null) {
      throw new IllegalStateException("response headers were already sent");
    }
    headerBytes = checkMetadata(name, value, headerBytes);
    headers.add(name, value);
  }

  @Override
  public synchronized void addTrailer(String name, String value) {
    trailerBytes = checkMetadata(name, value, trailerBytes);
    trailers.add(name, value);
  }

  private long checkMetadata(String name, String value, long sizeSoFar) {
    if (!GrpcHeaders.isApplicationMetadataName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not an application metadata name");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("metadata value of '" + name + "' is not printable ASCII (use a -bin name and base64)");
      }
    }
    long size = sizeSoFar + name.length() + value.length() + 32;
    if (size > limits.maxMetadataBytes()) {
      tracer.reject(method, GrpcRejectionReason.RESPONSE_METADATA_TOO_LARGE, "response metadata", "maxMetadataBytes=" + limits.maxMetadataBytes());
      throw new IllegalStateException("response metadata over the limit of " + limits.maxMetadataBytes() + " bytes");
    }
    return size;
  }

  /**
   * The response head (protocol fields, then the application's); closes it to {@link #addHeader}. The
   * same head on every call: the first one decides.
   */
  synchronized HttpHeaders commitHeaders() {
    if (head != null) {
      return head;
    }
    HttpHeaders.Builder b =
        HttpHeaders.builder()
            .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.APPLICATION_GRPC)
            .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPTED_ENCODINGS);
    for (Map.Entry<String, String> field : headers.build()) {
      b.add(field.getKey(), field.getValue());
    }
    head = b.build();
    return head;
  }

  /** Trailers for {@code status}: the status fields, then the application's and the exception's. */
  synchronized HttpHeaders trailersFor(Status status, HttpHeaders extra) {
    HttpHeaders.Builder b = statusFields(status);
    for (Map.Entry<String, String> field : trailers.build()) {
      b.add(field.getKey(), field.getValue());
    }
    for (Map.Entry<String, String> field : extra) {
      if (GrpcHeaders.isApplicationMetadataName(field.getKey())) {
        b.add(field.getKey(), field.getValue());
      }
    }
    return b.build();
  }

  static HttpHeaders.Builder statusFields(Status status) {
    HttpHeaders.Builder b = HttpHeaders.builder().add(GrpcHeaders.GRPC_STATUS, status.code().text());
    String message = status.message();
    if (message != null && !message.isEmpty()) {
      b.add(GrpcHeaders.GRPC_MESSAGE, PercentEncoding.encode(message));
    }
    return b;
  }

  // ---- requests

  @Override
  public @Nullable Req next(Cx cx) throws GrpcStatusException {
    while (true) {
      byte[] message = pending.poll();
      if (message != null) {
        try {
          return method.requestCodec().decode(message);
        } catch (IOException | RuntimeException e) {
          throw new GrpcStatusException(StatusCode.INTERNAL, "could not decode the request");
        }
      }
      if (ended) {
        return null;
      }
      RequestBody body = request.body();
      byte[] chunk;
      try {
        chunk = body.read(cx);
      } catch (HttpStatusException e) {
        throw new GrpcStatusException(StatusCode.RESOURCE_EXHAUSTED, "request stream over the server's body limit");
      }
      try {
        if (chunk == null) {
          ended = true;
          deframer.endOfStream();
        } else {
          deframer.feed(Unpooled.wrappedBuffer(chunk), pending::add);
        }
      } catch (GrpcStatusException e) {
        GrpcRejectionReason reason = deframer.failureReason();
        if (reason != null && !failureCounted) { // the deframer throws its failure again on every later read
          failureCounted = true;
          tracer.reject(method, reason, String.valueOf(e.status().message()), "maxInboundMessageBytes=" + limits.maxInboundMessageBytes());
        }
        throw e;
      }
    }
  }

  // ---- responses

  /** Encodes and frames one response, checking the outbound limit. */
  byte[] frame(Resp response) throws GrpcStatusException {
    try {
      return MessageFramer.frameToArray(method.responseCodec().encode(response), limits.maxOutboundMessageBytes());
    } catch (GrpcStatusException e) {
      tracer.reject(method, GrpcRejectionReason.RESPONSE_TOO_LARGE, String.valueOf(e.status().message()), "maxOutboundMessageBytes=" + limits.maxOutboundMessageBytes());
      throw e;
    }
  }
}
