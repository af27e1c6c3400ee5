// One subscriber of one exec through node's `ws`, the client wscat is built on, with its default
// options (it offers permessage-deflate, as browsers do) unless NO_DEFLATE is set. Counts the
// output bytes of JSON events (decoded) or binary frames (after the 34-byte header), prints
// "ready" once the socket is open and one JSON line of results when the server closes it.
import WebSocket from 'ws';

const url = process.argv[2];
const options = process.env.NO_DEFLATE ? { perMessageDeflate: false } : {};
const socket = new WebSocket(url, options);
let bytes = 0;
let events = 0;
let gaps = 0;
let status = null;
socket.on('open', () => process.stdout.write('ready\n'));
socket.on('message', (data, isBinary) => {
  events++;
  if (isBinary) {
    bytes += data.length - 34;
    return;
  }
  const event = JSON.parse(data.toString());
  if (event.type === 'output') {
    if (event.data) {
      bytes += event.encoding === 'base64'
        ? Buffer.from(event.data, 'base64').length
        : Buffer.byteLength(event.data, 'utf8');
    }
  } else if (event.type === 'exit') {
    status = event.status;
  } else if (event.type === 'gap') {
    gaps++;
  }
});
socket.on('close', (code) => {
  process.stdout.write(JSON.stringify({
    bytes, events, gaps, status, code, extensions: Object.keys(socket.extensions || {}),
  }) + '\n');
});
socket.on('error', (error) => {
  process.stderr.write(String(error) + '\n');
  process.exit(1);
});
