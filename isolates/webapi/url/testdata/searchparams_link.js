// url.searchParams is one live object: changing it rewrites the URL's
// query (goja_nodejs loses the query here), and setting href or search
// refreshes it.

{
	const u = new URL("https://a.example/p?a=1#frag");
	const sp = u.searchParams;
	assert.sameValue(u.searchParams, sp, "same object every time");
	sp.set("b", "2");
	assert.sameValue(u.href, "https://a.example/p?a=1&b=2#frag", "set updates href");
	assert.sameValue(u.search, "?a=1&b=2", "set updates search");
	assert.sameValue(String(u), u.href, "toString sees it too");
	sp.append("c", "x y");
	assert.sameValue(u.search, "?a=1&b=2&c=x+y", "append serialises with +");
	sp.delete("a");
	sp.delete("b");
	sp.delete("c");
	assert.sameValue(u.href, "https://a.example/p#frag", "an empty list removes the query");
	assert.sameValue(u.search, "");
}
{
	const u = new URL("https://a.example/");
	u.searchParams.set("q", "a&b=c/d");
	assert.sameValue(u.search, "?q=a%26b%3Dc%2Fd", "delimiters are encoded");
	assert.sameValue(u.searchParams.get("q"), "a&b=c/d");
	assert.sameValue(new URL(u.href).searchParams.get("q"), "a&b=c/d", "round trip");
}
{
	const u = new URL("https://a.example/?x=1");
	const sp = u.searchParams;
	u.search = "?y=2&y=3";
	assert.sameValue(sp.get("x"), null, "search setter replaces the list");
	assert.deepEqual(sp.getAll("y"), ["2", "3"]);
	u.href = "https://b.example/?z=9";
	assert.sameValue(u.searchParams, sp, "still the same object after href");
	assert.sameValue(sp.get("z"), "9", "href setter replaces the list");
	u.search = "";
	assert.sameValue(sp.size, 0, "empty search empties the list");
	u.hash = "h";
	u.pathname = "/other";
	sp.append("k", "v");
	assert.sameValue(u.href, "https://b.example/other?k=v#h", "other setters keep the link");
}
{
	// The URL's own encoding is kept until the list is changed.
	const u = new URL("https://a.example/?a=b c&%7e=~");
	assert.sameValue(u.search, "?a=b%20c&%7e=~");
	assert.sameValue(u.searchParams.get("a"), "b c");
	assert.sameValue(u.searchParams.get("~"), "~");
	u.searchParams.sort();
	assert.sameValue(u.search, "?a=b+c&%7E=%7E", "sort reserialises");
}
{
	// Non-special and opaque URLs link too.
	const u = new URL("sc://host/path");
	u.searchParams.append("a", "1");
	assert.sameValue(u.href, "sc://host/path?a=1");
	const d = new URL("data:space ?test");
	d.searchParams.delete("test");
	assert.sameValue(d.href, "data:space%20", "opaque path keeps its encoded space");
}
