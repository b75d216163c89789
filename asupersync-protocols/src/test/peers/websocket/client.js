// Independent peer for WebSocketPeerTests: the npm `ws` client (permessage-deflate on, its default)
// connects to the URL given, sends a text, a binary and a large text message, checks each echo, closes
// with 1000 and prints one JSON line describing what happened. Exit status 0 only if every echo matched
// and the close handshake completed.
'use strict';

const WebSocket = require('ws');

const url = process.argv[2];
if (!url) {
  console.error('usage: node client.js ws://host:port/path');
  process.exit(2);
}

const large = 'asupersync '.repeat(20000);
const expected = [
  { kind: 'text', data: 'hello from ws' },
  { kind: 'binary', data: Buffer.from([1, 2, 3, 255, 0]) },
  { kind: 'text', data: large },
];
const result = { opened: false, extensions: '', echoes: [], closeCode: null, error: null };

const ws = new WebSocket(url, { perMessageDeflate: true, handshakeTimeout: 10000 });
const timer = setTimeout(() => finish('timed out'), 15000);

function finish(error) {
  clearTimeout(timer);
  if (error && !result.error) {
    result.error = String(error);
  }
  console.log(JSON.stringify(result));
  const ok = !result.error && result.closeCode === 1000 && result.echoes.length === expected.length
    && result.echoes.every((e) => e.match);
  process.exit(ok ? 0 : 1);
}

ws.on('open', () => {
  result.opened = true;
  result.extensions = ws.extensions;
  for (const m of expected) {
    ws.send(m.data, { binary: m.kind === 'binary' });
  }
});

ws.on('message', (data, isBinary) => {
  const want = expected[result.echoes.length];
  const match = want !== undefined && isBinary === (want.kind === 'binary')
    && Buffer.compare(Buffer.from(data), Buffer.from(want.data)) === 0;
  result.echoes.push({ kind: isBinary ? 'binary' : 'text', bytes: data.length, match });
  if (result.echoes.length === expected.length) {
    ws.close(1000, 'done');
  }
});

ws.on('close', (code) => {
  result.closeCode = code;
  finish(null);
});

ws.on('error', (e) => finish(e.message));
