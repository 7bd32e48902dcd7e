// node:net: address helpers, BlockList, SocketAddress and argument errors
// (connections themselves are tested against real servers in
// isolates/modules/testdata/net.js: Node would dial for real here).
import net from "node:net";
import * as ns from "node:net";

const err = (fn) => { try { fn(); return "no error"; } catch (e) { return { name: e.name, code: e.code }; } };
const addrs = ["127.0.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4 ", "::", "::1",
  "fe80::1%eth0", "2001:db8::8a2e:370:7334", "2001:db8:0:0:0:0:2:1", "::ffff:192.168.1.1", "1::2::3", "gggg::1",
  "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "", "localhost", "[::1]", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4"];

export const probes = {
  "net: exports": () => ({
    names: ["BlockList", "SocketAddress", "Socket", "Stream", "Server", "connect", "createConnection", "createServer",
      "isIP", "isIPv4", "isIPv6", "getDefaultAutoSelectFamily", "setDefaultAutoSelectFamily"].map((k) => [k, typeof net[k]]),
    stream: net.Stream === net.Socket,
    named: ns.connect === net.connect && ns.isIP === net.isIP,
  }),
  "net: isIP isIPv4 isIPv6": () => addrs.map((a) => [a, net.isIP(a), net.isIPv4(a), net.isIPv6(a)]),
  "net: isIP of non-strings": () => [net.isIP(undefined), net.isIP(null), net.isIP(123), net.isIP({ toString: () => "1.1.1.1" })],
  "net: new Socket state": () => {
    const s = new net.Socket();
    return { connecting: s.connecting, destroyed: s.destroyed, pending: s.pending, readyState: s.readyState,
      bytesRead: s.bytesRead, bytesWritten: s.bytesWritten, remoteAddress: s.remoteAddress, allowHalfOpen: s.allowHalfOpen,
      chain: [s.setNoDelay(true) === s, s.setKeepAlive(true) === s, s.ref() === s, s.unref() === s] };
  },
  "net: connect argument errors": () => ({
    badPort: err(() => net.connect(70000, "localhost")),
    negPort: err(() => net.connect(-1, "localhost")),
    floatPort: err(() => net.connect({ port: 1.5 })),
    objPort: err(() => net.connect({ port: {} })),
    emptyPort: err(() => net.connect({ port: "" })),
    noArgs: err(() => new net.Socket().connect({})),
    timeout: err(() => new net.Socket().setTimeout(-1)),
    timeoutNaN: err(() => new net.Socket().setTimeout(NaN)),
  }),
  "net: BlockList": () => {
    const b = new net.BlockList();
    b.addAddress("123.123.123.123");
    b.addRange("10.0.0.1", "10.0.0.10");
    b.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
    b.addSubnet("192.168.0.0", 16);
    return {
      checks: [["123.123.123.123"], ["10.0.0.3"], ["10.0.0.11"], ["222.111.111.222"], ["8592:757c:efae:4e45::f", "ipv6"],
        ["8592:757c:efae:4e46::1", "IPv6"], ["192.168.200.1"], ["::ffff:7b7b:7b7b", "ipv6"], ["::ffff:123.123.123.123", "ipv6"]]
        .map(([a, f]) => [a, b.check(a, f)]),
      rules: b.rules,
      badFamily: err(() => b.addAddress("1.1.1.1", "ipv5")),
      badPrefix: err(() => b.addSubnet("1.1.1.0", 33)),
      badAddr: err(() => b.addAddress(1)),
      badRange: err(() => b.addRange("10.0.0.5", "10.0.0.1")),
      checkBad: b.check("not an ip"),
    };
  },
  "net: SocketAddress": () => {
    const a = new net.SocketAddress({ address: "1.2.3.4", port: 80 });
    const d = new net.SocketAddress();
    const six = new net.SocketAddress({ family: "ipv6" });
    return { a: [a.address, a.port, a.family, a.flowlabel], d: d.toJSON(), six: six.toJSON(),
      is: net.SocketAddress.isSocketAddress(a), notIs: net.SocketAddress.isSocketAddress({}),
      badPort: err(() => new net.SocketAddress({ port: 70000 })), badFamily: err(() => new net.SocketAddress({ family: "x" })) };
  },
};
