package modules

import (
	"testing"
)

// keyObject.toCryptoKey (Node 23, after the Node 20 that records the
// probes' answers): the CryptoKey works with crypto.subtle, keeps the
// material (KeyObject.from gives an equal key back), obeys extractable and
// is checked as subtle.importKey checks keys.
func TestKeyObjectToCryptoKey(t *testing.T) {
	iso, _ := newSocketIsolate(t, Options{}, 0)
	runIn(t, iso, nil, `
		const c = require("node:crypto");
		const secret = c.createSecretKey(Buffer.alloc(32, 5));
		const { privateKey, publicKey } = c.generateKeyPairSync("ec", { namedCurve: "P-256" });
		const out = {};
		(async () => {
			const hk = secret.toCryptoKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
			out.hmacIsCryptoKey = hk instanceof CryptoKey && hk.type === "secret" && !hk.extractable;
			const mac = Buffer.from(await crypto.subtle.sign("HMAC", hk, Buffer.from("x"))).toString("hex");
			out.hmacMatches = mac === c.createHmac("sha256", Buffer.alloc(32, 5)).update("x").digest("hex");
			out.notExtractable = await crypto.subtle.exportKey("raw", hk).then(() => "exported", (e) => e.name);
			out.backEqual = c.KeyObject.from(hk).equals(secret);
			const ek = privateKey.toCryptoKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
			const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ek, Buffer.from("y"));
			out.ecVerifies = c.verify("sha256", Buffer.from("y"), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(sig));
			const pk = publicKey.toCryptoKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
			out.pubType = pk.type + " " + pk.algorithm.namedCurve;
			out.pubBack = c.KeyObject.from(pk).equals(publicKey);
			try { secret.toCryptoKey({ name: "HMAC", hash: "SHA-256" }, false, ["encrypt"]); out.badUsage = "no error"; } catch (e) { out.badUsage = e.name; }
			try { publicKey.toCryptoKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["verify"]); out.badCurve = "no error"; } catch (e) { out.badCurve = e.name; }
			out.done = true;
		})().catch((e) => { globalThis.err = e; });
		globalThis.out = out;
	`)
	waitFor(t, iso, "globalThis.out.done === true")
	got := runIn(t, iso, nil, "JSON.stringify(out)").String()
	want := `{"hmacIsCryptoKey":true,"hmacMatches":true,"notExtractable":"InvalidAccessError","backEqual":true,"ecVerifies":true,"pubType":"public P-256","pubBack":true,"badUsage":"SyntaxError","badCurve":"DataError","done":true}`
	if got != want {
		t.Fatalf("toCryptoKey:\n got %s\nwant %s", got, want)
	}
}
