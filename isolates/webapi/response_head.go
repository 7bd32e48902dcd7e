package webapi

import "fmt"

// The status line and headers of a worker's response are checked here, at
// the Go boundary, whatever the JavaScript side did: the Response
// constructor and Headers validate what scripts pass them, but a script can
// reach the objects' internal slots, and a malformed status line or a CR/LF
// in a header would be written to the client as is.

// headError is why a response head was refused; it answers the request as
// the TypeError (or RangeError) workerd throws for the same value.
func headError(name, format string, args ...any) *ScriptError {
	return &ScriptError{Name: name, Message: fmt.Sprintf(format, args...)}
}

// checkHead validates a response's status, status text and flat headers
// ("name\x00value\x00…", names lower-case).
func checkHead(status int, statusText, headers, contentType string) *ScriptError {
	if status < 200 || status > 599 {
		return headError("RangeError", "Responses may only be constructed with status codes in the range 200 to 599, inclusive.")
	}
	for i := 0; i < len(statusText); i++ {
		if c := statusText[i]; c == '\r' || c == '\n' || c == 0 || c < 0x20 && c != '\t' || c == 0x7f {
			return headError("TypeError", "Invalid statusText.")
		}
	}
	if !validValue(contentType) {
		return headError("TypeError", "Invalid header value.")
	}
	rest := headers
	for rest != "" {
		name, after, ok := cut0(rest)
		if !ok {
			return headError("TypeError", "Invalid header list.")
		}
		value, next, _ := cut0(after)
		if !validName(name) {
			return headError("TypeError", "Invalid header name.")
		}
		if !validValue(value) {
			return headError("TypeError", "Invalid header value.")
		}
		rest = next
	}
	return nil
}

func cut0(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// validName: an RFC 9110 token in lower case (the form Headers keeps).
func validName(s string) bool {
	token, upper := tokenCase(s)
	return token && !upper
}

// validValue: no CR, LF or NUL (the Fetch standard's header value).
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	return true
}
