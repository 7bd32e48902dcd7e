package webapi

import "testing"

func TestCompatFor(t *testing.T) {
	all := Compat{true, true, true}
	for _, tc := range []struct {
		date  string
		flags []string
		want  Compat
	}{
		{"", nil, all},
		{"2025-09-01", nil, Compat{}},
		{"2026-03-03", nil, Compat{WebSocketCloseReasonByteLimit: true}},
		{"2026-03-17", nil, Compat{WebSocketCloseReasonByteLimit: true, WebSocketStandardBinaryType: true}},
		{"2026-04-06", nil, Compat{WebSocketCloseReasonByteLimit: true, WebSocketStandardBinaryType: true}},
		{"2026-04-07", nil, all},
		{"2026-11-01", []string{"web_socket_manual_reply_to_close"}, Compat{WebSocketCloseReasonByteLimit: true, WebSocketStandardBinaryType: true}},
		{"2026-11-01", []string{"no_websocket_standard_binary_type", "no_websocket_close_reason_byte_limit"}, Compat{WebSocketAutoReplyToClose: true}},
		{"2024-01-01", []string{"websocket_standard_binary_type"}, Compat{WebSocketStandardBinaryType: true}},
		{"2024-01-01", []string{"web_socket_auto_reply_to_close", "websocket_close_reason_byte_limit"}, Compat{WebSocketCloseReasonByteLimit: true, WebSocketAutoReplyToClose: true}},
	} {
		if got := CompatFor(tc.date, tc.flags); got != tc.want {
			t.Errorf("CompatFor(%q, %v) = %+v, want %+v", tc.date, tc.flags, got, tc.want)
		}
	}
}
