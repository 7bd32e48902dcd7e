// ByteLengthQueuingStrategy and CountQueuingStrategy, and the stream reader
// class globals.
export const probes = {
  "queuing: ByteLength": () => { const s = new ByteLengthQueuingStrategy({ highWaterMark: 16 }); return [s.highWaterMark, s.size(new Uint8Array(5)), s.size({ byteLength: 7 }), Object.prototype.toString.call(s)]; },
  "queuing: Count": () => { const s = new CountQueuingStrategy({ highWaterMark: 3 }); return [s.highWaterMark, s.size("anything"), s.size(), Object.prototype.toString.call(s)]; },
  "queuing: size is shared": () => [new CountQueuingStrategy({ highWaterMark: 1 }).size === new CountQueuingStrategy({ highWaterMark: 2 }).size, new ByteLengthQueuingStrategy({ highWaterMark: 1 }).size.name, CountQueuingStrategy.prototype.hasOwnProperty("size")],
  "queuing: no init": () => new CountQueuingStrategy(),
  "queuing: no highWaterMark": () => new ByteLengthQueuingStrategy({}),
  "queuing: string highWaterMark": () => new CountQueuingStrategy({ highWaterMark: "4" }).highWaterMark,
  "queuing: own keys": () => [Object.keys(new CountQueuingStrategy({ highWaterMark: 1 })), Object.getOwnPropertyNames(ByteLengthQueuingStrategy.prototype).sort()],
  "queuing: used by a stream": async () => {
    const rs = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(4)); } }, new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
    const r = rs.getReader();
    return [(await r.read()).value.length];
  },
  "queuing: reader global": () => [typeof ReadableStreamDefaultReader, new ReadableStream().getReader() instanceof ReadableStreamDefaultReader],
  "queuing: construct a reader": () => { const rs = new ReadableStream(); const r = new ReadableStreamDefaultReader(rs); return [rs.locked, r instanceof ReadableStreamDefaultReader]; },
};
