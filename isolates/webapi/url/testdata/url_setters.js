// Setters: valid values change the URL, invalid ones are ignored, and only
// href throws.

function url(s) { return new URL(s); }

{
	const u = url("http://a.example/p");
	u.protocol = "https";
	assert.sameValue(u.href, "https://a.example/p", "protocol without colon");
	u.protocol = "wss:";
	assert.sameValue(u.protocol, "wss:", "protocol with colon");
	u.protocol = "mailto";
	assert.sameValue(u.protocol, "wss:", "special to non-special is refused");
	u.protocol = "1http";
	assert.sameValue(u.protocol, "wss:", "invalid scheme is ignored");
}
{
	const u = url("https://a.example/");
	u.username = "us er";
	u.password = "p@ss:w";
	assert.sameValue(u.href, "https://us%20er:p%40ss%3Aw@a.example/", "credentials are encoded");
	u.username = "";
	u.password = "";
	assert.sameValue(u.href, "https://a.example/", "credentials removed");
	const f = url("file:///etc/hosts");
	f.username = "x";
	assert.sameValue(f.href, "file:///etc/hosts", "file URLs cannot have credentials");
}
{
	const u = url("https://a.example/p?q#h");
	u.host = "B.example:8443";
	assert.sameValue(u.href, "https://b.example:8443/p?q#h", "host with port");
	u.hostname = "c.example";
	assert.sameValue(u.host, "c.example:8443", "hostname keeps the port");
	u.host = "bad host";
	assert.sameValue(u.hostname, "c.example", "invalid host ignored");
	u.hostname = "d.example:1";
	assert.sameValue(u.host, "c.example:8443", "hostname setter refuses a port");
	u.host = "münchen.example";
	assert.sameValue(u.hostname, "xn--mnchen-3ya.example", "IDNA in the host setter");
}
{
	const u = url("https://a.example/");
	u.port = "8080";
	assert.sameValue(u.port, "8080");
	u.port = "443";
	assert.sameValue(u.port, "", "default port becomes empty");
	u.port = "81abc";
	assert.sameValue(u.port, "81", "leading digits are taken");
	u.port = "abc";
	assert.sameValue(u.port, "81", "non-digits ignored");
	u.port = "65536";
	assert.sameValue(u.port, "81", "out of range ignored");
	u.port = "";
	assert.sameValue(u.href, "https://a.example/", "empty removes the port");
	u.port = 8000;
	assert.sameValue(u.port, "8000", "numbers are converted");
}
{
	const u = url("https://a.example/old?q#h");
	u.pathname = "new path/../x y";
	assert.sameValue(u.pathname, "/x%20y", "path is normalised and encoded");
	assert.sameValue(u.href, "https://a.example/x%20y?q#h");
	const m = url("mailto:a@b.example");
	m.pathname = "c@d.example";
	assert.sameValue(m.pathname, "a@b.example", "opaque paths cannot be set");
}
{
	const u = url("https://a.example/p#h");
	u.search = "a=1&b=c d";
	assert.sameValue(u.search, "?a=1&b=c%20d", "search is encoded");
	assert.sameValue(u.href, "https://a.example/p?a=1&b=c%20d#h");
	u.search = "?";
	assert.sameValue(u.search, "", "lone ? reads back empty");
	assert.sameValue(u.href, "https://a.example/p?#h", "but keeps an empty query");
	u.search = "";
	assert.sameValue(u.href, "https://a.example/p#h", "empty removes the query");
}
{
	const u = url("https://a.example/p?q");
	u.hash = "frag ment";
	assert.sameValue(u.hash, "#frag%20ment");
	u.hash = "#";
	assert.sameValue(u.hash, "", "lone # reads back empty");
	assert.sameValue(u.href, "https://a.example/p?q#");
	u.hash = "";
	assert.sameValue(u.href, "https://a.example/p?q", "empty removes the fragment");
}
{
	const u = url("https://a.example/p");
	u.href = "http://b.example/q?x=1";
	assert.sameValue(u.host, "b.example", "href replaces the URL");
	assert.throws(TypeError, () => { u.href = "not a url"; }, "invalid href", "Invalid URL string.");
	assert.sameValue(u.href, "http://b.example/q?x=1", "failed href leaves the URL alone");
}
// Setters convert their value with ToString.
{
	const u = url("https://a.example/");
	u.pathname = { toString() { return "/obj"; } };
	assert.sameValue(u.pathname, "/obj");
	u.hash = null;
	assert.sameValue(u.hash, "#null");
}
