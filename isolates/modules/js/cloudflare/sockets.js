// cloudflare:sockets: connect() and its Socket, as workerd has them. The
// connection is Go's (cloudflare_sockets.go, sockets_conn.go): it belongs
// to the request that opened it and is closed when that request ends. Here
// it becomes two streams: readable pulls one chunk from the connection per
// read its consumer asks for (a consumer that stops reading stops the
// reads, and TCP holds the peer back); writable's writes are done once their
// bytes are queued for the connection, up to 64 KiB ahead of it, as a TCP
// write is once it fits the kernel's send buffer (sockets_io.go). close,
// startTls and the end of writes wait for the queue to be written.
"use strict";

const kToken = Symbol("Socket");
const noop = () => {};

// Socket option and address handling follows workerd's sockets.c++: the
// address is "host:port" (read as a URL's authority) or {hostname, port};
// the checks run in its order, before any I/O.
function connect(address, options) {
  native.checkIO(); // at top level: workerd's global-scope error
  let hostname, port, addressStr;
  if (address !== null && typeof address === "object") {
    if (address.hostname === undefined) {
      throw new TypeError("Incorrect type for the 'hostname' field on 'SocketAddress': the provided value is not of type 'string'.");
    }
    hostname = String(address.hostname);
    port = toPort(address.port);
    addressStr = `${hostname}:${port}`;
  } else {
    addressStr = String(address);
    [hostname, port] = native.parseAddress(addressStr);
  }
  let secureTransport = "off", allowHalfOpen = false;
  if (options !== undefined && options !== null) {
    if (typeof options !== "object") throw new TypeError("Failed to execute 'connect' on 'SocketsModule': parameter 2 is not of type 'SocketOptions'.");
    if (options.secureTransport !== undefined) {
      const v = String(options.secureTransport);
      if (v !== "off" && v !== "on" && v !== "starttls") throw new TypeError(`Unsupported value in secureTransport socket option: ${v}`);
      secureTransport = v;
    }
    allowHalfOpen = Boolean(options.allowHalfOpen);
  }
  const { id, opened } = native.connect(hostname, port, secureTransport === "on", addressStr);
  return new Socket(kToken, { id, opened, secureTransport, allowHalfOpen, domain: hostname, address: addressStr });
}

// toPort converts as workerd's uint16 does.
function toPort(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TypeError("The value cannot be converted because it is not an integer.");
  if (n < 0) throw new TypeError("The value cannot be converted because it is negative and this API expects a positive number.");
  if (n > 65535) throw new TypeError("Value out of range. Must be less than or equal to 65535.");
  return Math.trunc(n);
}

class Socket {
  #id;
  #address;
  #domain;
  #secureTransport;
  #allowHalfOpen;
  #readable;
  #writable;
  #readController;
  #writeController;
  #opened;
  #closed;
  #resolveClosed;
  #rejectClosed;
  #upgraded;
  #tlsStarted;
  #closing;
  #gone; // the connection is closed, or handed to the socket startTls made
  #readDone;
  #writeDone;
  #writing; // the last write's promise (settled() waits for it without its rejection), or undefined
  #isOpen; // opened has resolved: a read needs no wait for it
  #reading; // a read is under way: a pull meanwhile has nothing to start
  #onRead; // #readResult, bound once: what native.read calls back

  constructor(token, init) {
    if (token !== kToken) throw new TypeError("Illegal constructor");
    this.#id = init.id;
    this.#address = init.address;
    this.#domain = init.domain;
    this.#secureTransport = init.secureTransport;
    this.#allowHalfOpen = init.allowHalfOpen;
    this.#upgraded = false;
    this.#tlsStarted = false;
    this.#closing = false;
    this.#gone = false;
    this.#readDone = false;
    this.#writeDone = false;
    this.#writing = undefined;
    this.#isOpen = false;
    this.#reading = false;
    this.#onRead = (chunk, e) => this.#readResult(chunk, e);
    const info = { remoteAddress: init.address };
    this.#opened = init.opened.then(() => { this.#isOpen = true; return info; });
    this.#opened.catch(noop);
    this.#closed = new Promise((resolve, reject) => { this.#resolveClosed = resolve; this.#rejectClosed = reject; });
    this.#closed.catch(noop);
    this.#opened.then(noop, (e) => this.#failed(e));
    // A byte stream, as workerd's socket.readable is: BYOB readers work on it.
    this.#readable = new ReadableStream({
      type: "bytes",
      start: (c) => { this.#readController = c; },
      pull: (c) => this.#pull(c),
      cancel: () => { this.#readDone = true; this.#maybeFinish(); },
    }, { highWaterMark: 0 });
    this.#writable = new WritableStream({
      // Writes wait for the connection; a failed one errors the stream.
      start: (c) => { this.#writeController = c; return this.#opened.then(noop); },
      write: (chunk) => this.#write(chunk),
      close: () => this.#endWrites(),
      abort: () => { this.#writeDone = true; this.#maybeFinish(); },
    });
  }

  get readable() { return this.#readable; }
  get writable() { return this.#writable; }
  get opened() { return this.#opened; }
  get closed() { return this.#closed; }
  get upgraded() { return this.#upgraded; }
  get secureTransport() { return this.#secureTransport; }

  // Once the connection is open a pull reads at once: a driver reads a
  // chunk per message exchange, and waiting on opened cost a promise and a
  // microtask turn each time.
  #pull(c) {
    if (this.#isOpen) return this.#read(c);
    return this.#opened.then(() => this.#read(c),
      () => safe(() => c.close())); // the connection failed: reads end (#failed reports it)
  }

  // A pull starts one read and returns: the read calls #onRead back, whose
  // enqueue answers the waiting read and pulls again while reads still wait.
  #read(c) {
    if (this.#gone || this.#readDone) { safe(() => c.close()); return; }
    if (this.#reading) return;
    this.#reading = true;
    const e = native.read(this.#id, this.#onRead);
    if (e !== undefined) this.#onRead(undefined, e);
  }

  #readResult(chunk, e) {
    this.#reading = false;
    if (this.#gone) return; // closed or upgraded meanwhile: they ended the stream
    const c = this.#readController;
    if (e !== undefined) {
      safe(() => c.error(e));
      this.#lost(e);
    } else if (chunk === null) {
      this.#readDone = true;
      safe(() => c.close());
      this.#readEnded();
    } else if (chunk[0] === undefined) { // empty (an index read: see node:buffer's checkOffset)
      this.#read(c);
    } else {
      native.enqueue(this.#readable, chunk); // queued as it is, not moved or copied (cloudflare_sockets.go)
    }
  }

  #write(chunk) {
    if (this.#closing) throw new TypeError("This WritableStream belongs to an object that is closing.");
    if (this.#gone || this.#writeDone) throw new TypeError("This WritableStream has been closed.");
    const p = native.write(this.#id, chunk); // undefined: queued, done
    this.#writing = p; // the stream handles its rejection; settled() waits without it
    return p;
  }

  // written resolves once the last write has settled and the queue is on
  // the connection, whichever way either went.
  #written() {
    const p = settled(this.#writing);
    if (p === undefined) return native.drained(this.#id);
    return p.then(() => native.drained(this.#id));
  }

  #endWrites() {
    if (this.#gone) return;
    return native.shutdown(this.#id).then(() => { this.#writeDone = true; this.#maybeFinish(); });
  }

  // The peer ended its side: without allowHalfOpen, workerd closes ours
  // once what is being written is written, and the socket is closed.
  #readEnded() {
    if (this.#allowHalfOpen) { this.#maybeFinish(); return; }
    Promise.resolve(this.#written()).then(() => {
      if (this.#gone) return;
      this.#writeDone = true;
      safe(() => this.#writeController.error(new TypeError("This WritableStream has been closed.")));
      return native.shutdown(this.#id).then(() => this.#finish());
    }).catch((e) => this.#lost(e));
  }

  #maybeFinish() {
    if (this.#readDone && this.#writeDone) this.#finish();
  }

  #finish() {
    if (this.#gone) return;
    this.#gone = true;
    native.close(this.#id);
    this.#resolveClosed();
  }

  // The connection could not be made: closed rejects with opened's error,
  // reads end and writes fail with it.
  #failed(e) {
    this.#gone = true;
    this.#rejectClosed(e);
    safe(() => this.#readController.close());
  }

  // The connection broke while open.
  #lost(e) {
    if (this.#gone) return;
    this.#gone = true;
    native.close(this.#id);
    safe(() => this.#readController.error(e));
    safe(() => this.#writeController.error(e));
    this.#rejectClosed(e);
  }

  close() {
    if (this.#closing) return this.#closed.then(noop);
    this.#closing = true;
    // As workerd: wait until the connection attempt is over, let the write
    // in progress finish, then end both streams and the connection.
    return this.#opened.then(noop, noop)
      .then(() => this.#written())
      .then(() => {
        const closing = new TypeError("This WritableStream belongs to an object that is closing.");
        safe(() => this.#readController.close());
        safe(() => this.#writeController.error(closing));
        if (!this.#gone) {
          this.#gone = true;
          native.close(this.#id);
        }
        this.#resolveClosed();
      })
      .catch((e) => this.#rejectClosed(e));
  }

  startTls(options) {
    if (this.#secureTransport === "on") throw new TypeError("Cannot startTls on a TLS socket.");
    if (this.#gone) throw new TypeError("The connection was closed before startTls could be started.");
    if (this.#secureTransport !== "starttls") {
      throw new TypeError("The `secureTransport` socket option must be set to 'starttls' for startTls to be used.");
    }
    if (this.#tlsStarted) {
      throw new TypeError("startTls has already been called on this socket, or the socket was transferred over RPC.");
    }
    this.#tlsStarted = true;
    let serverName = "";
    if (options !== undefined && options !== null && options.expectedServerHostname !== undefined) {
      serverName = String(options.expectedServerHostname);
    }
    const id = this.#id;
    // What this socket is writing is written first; then it lets the
    // connection go (its streams end, closed resolves with upgraded set)
    // and the new socket's opened waits for the handshake.
    const handshake = this.#opened.then(() => this.#written()).then(() => {
      if (this.#gone) throw new TypeError("The connection was closed before startTls completed.");
      this.#gone = true;
      this.#upgraded = true;
      safe(() => this.#readController.close());
      safe(() => this.#writeController.error(new TypeError("This WritableStream has been closed.")));
      this.#resolveClosed();
      return native.startTls(id, serverName);
    });
    return new Socket(kToken, {
      id, opened: handshake, secureTransport: "on", allowHalfOpen: this.#allowHalfOpen,
      domain: this.#domain, address: this.#address,
    });
  }
}

// settled is a promise that resolves once p (a write, or undefined) has
// settled, whichever way.
function settled(p) {
  return p === undefined ? undefined : p.then(noop, noop);
}

// safe runs a stream controller call that throws when the stream is
// already closed or errored, which here only means there is nothing left
// to end.
function safe(fn) {
  try { fn(); } catch { /* already over */ }
}

module.exports = { connect };
