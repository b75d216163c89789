#!/usr/bin/python3
"""A second, independent interop client: Python grpcio (Debian's python3-grpcio, gRPC core's own
HTTP/2 stack) running gRPC interop cases against a server on 127.0.0.1.

Messages are encoded by hand (protobuf wire format), so the script needs grpcio only, not generated
classes or grpcio-tools.

Usage: interop_client.py PORT CASE   (CASE: empty_unary, large_unary, server_streaming, cancel_after_begin)
Exit status 0 when the case passed; otherwise a message on stderr and status 1.
"""

import sys
import threading

import grpc

SERVICE = "/grpc.testing.TestService/"


def varint(value):
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def fields(data):
    """Yields (number, wire_type, value) for each field; value is an int or bytes."""
    pos = 0
    while pos < len(data):
        tag, pos = read_varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if pos + length > len(data):
                raise ValueError("length beyond the message")
            value, pos = data[pos:pos + length], pos + length
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield number, wire, value


def read_varint(data, pos):
    result, shift = 0, 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def payload(size):
    return field_bytes(2, bytes(size))  # Payload { bytes body = 2; }


def payload_body(message):
    """The body of the Payload in field 1 of a SimpleResponse or StreamingOutputCallResponse."""
    for number, wire, value in fields(message):
        if number == 1 and wire == 2:
            for n, w, v in fields(value):
                if n == 2 and w == 2:
                    return v
            return b""
    return b""


def identity(data):
    return data


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def empty_unary(channel):
    call = channel.unary_unary(SERVICE + "EmptyCall", request_serializer=identity, response_deserializer=identity)
    response = call(b"", timeout=10)
    check(response == b"", "EmptyCall answered %d bytes, expected an empty message" % len(response))


def large_unary(channel):
    request = field_varint(2, 314159) + field_bytes(3, payload(271828))  # SimpleRequest
    call = channel.unary_unary(SERVICE + "UnaryCall", request_serializer=identity, response_deserializer=identity)
    body = payload_body(call(request, timeout=10))
    check(len(body) == 314159, "payload body is %d bytes, expected 314159" % len(body))
    check(body == bytes(314159), "payload body is not all zeros")


def server_streaming(channel):
    sizes = [31415, 9, 2653, 58979]
    request = b"".join(field_bytes(2, field_varint(1, s)) for s in sizes)  # response_parameters { size }
    call = channel.unary_stream(SERVICE + "StreamingOutputCall", request_serializer=identity, response_deserializer=identity)
    got = [len(payload_body(r)) for r in call(request, timeout=10)]
    check(got == sizes, "response sizes %s, expected %s" % (got, sizes))


def cancel_after_begin(channel):
    release = threading.Event()

    def requests():
        release.wait(10)  # sends nothing: the call has begun (headers out) but carries no payload
        return
        yield

    call = channel.stream_unary(SERVICE + "StreamingInputCall", request_serializer=identity, response_deserializer=identity)
    future = call.future(requests(), timeout=10)
    check(future.cancel(), "cancel() refused: the call had already ended with %s" % (future.code(),))
    release.set()
    check(future.cancelled(), "the call does not report itself cancelled")
    check(future.code() == grpc.StatusCode.CANCELLED, "status %s, expected CANCELLED" % (future.code(),))


CASES = {f.__name__: f for f in (empty_unary, large_unary, server_streaming, cancel_after_begin)}


def main(argv):
    if len(argv) != 3 or argv[2] not in CASES:
        sys.stderr.write("usage: interop_client.py PORT {%s}\n" % ",".join(CASES))
        return 2
    with grpc.insecure_channel("127.0.0.1:%d" % int(argv[1])) as channel:
        try:
            CASES[argv[2]](channel)
        except (AssertionError, grpc.RpcError, ValueError) as failure:
            sys.stderr.write("%s failed: %s\n" % (argv[2], failure))
            return 1
    print("%s passed (grpcio %s)" % (argv[2], grpc.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
