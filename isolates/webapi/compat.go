package webapi

import "slices"

// Compat is what a worker's compatibility date and flags change in the Web
// APIs: each field is one of workerd's flags (compatibility-date.capnp),
// on from its date unless the disable flag is given, or before its date
// when the enable flag is.
type Compat struct {
	// WebSocketCloseReasonByteLimit (websocket_close_reason_byte_limit,
	// 2026-03-03): close() throws a SyntaxError DOMException for a reason
	// longer than 123 bytes in UTF-8, as RFC 6455 §5.5 requires.
	WebSocketCloseReasonByteLimit bool
	// WebSocketStandardBinaryType (websocket_standard_binary_type,
	// 2026-03-17): binaryType starts as "blob" and binary messages arrive as
	// Blobs; before, "arraybuffer".
	WebSocketStandardBinaryType bool
	// WebSocketAutoReplyToClose (web_socket_auto_reply_to_close,
	// 2026-04-07): a Close frame from the peer is answered at once, so
	// readyState is CLOSED when the close event fires; before, a socket was
	// half-open (CLOSING) until the script called close() itself, unless it
	// accepted with allowHalfOpen: false.
	WebSocketAutoReplyToClose bool
}

// compatRule is one flag's enable flag, disable flag and date.
type compatRule struct{ enable, disable, date string }

// CompatFor applies workerd's rules to a compatibility date (YYYY-MM-DD;
// "" for none, which is edgerun's newest behaviour) and flags.
func CompatFor(date string, flags []string) Compat {
	on := func(r compatRule) bool {
		switch {
		case slices.Contains(flags, r.enable):
			return true
		case slices.Contains(flags, r.disable):
			return false
		}
		return date == "" || date >= r.date
	}
	return Compat{
		WebSocketCloseReasonByteLimit: on(compatRule{"websocket_close_reason_byte_limit", "no_websocket_close_reason_byte_limit", "2026-03-03"}),
		WebSocketStandardBinaryType:   on(compatRule{"websocket_standard_binary_type", "no_websocket_standard_binary_type", "2026-03-17"}),
		WebSocketAutoReplyToClose:     on(compatRule{"web_socket_auto_reply_to_close", "web_socket_manual_reply_to_close", "2026-04-07"}),
	}
}
