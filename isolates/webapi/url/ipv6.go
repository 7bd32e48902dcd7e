package url

import (
	"strconv"
	"strings"
)

// ipv6Address is the eight 16-bit pieces of an IPv6 address.
type ipv6Address [8]uint16

// parseIPv6 is the URL Standard's IPv6 parser (input without brackets).
func parseIPv6(input string) (ipv6Address, error) {
	var addr ipv6Address
	pieceIndex, compress := 0, -1
	p := 0
	at := func(i int) int { // the code point at i, or eof
		if i < len(input) {
			return int(input[i])
		}
		return eof
	}
	if at(p) == ':' {
		if at(p+1) != ':' {
			return addr, errInvalidHost
		}
		p += 2
		pieceIndex++
		compress = pieceIndex
	}
	for at(p) != eof {
		if pieceIndex == 8 {
			return addr, errInvalidHost
		}
		if at(p) == ':' {
			if compress != -1 {
				return addr, errInvalidHost
			}
			p++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		value, length := 0, 0
		for length < 4 && at(p) != eof && hexDigit(input[p]) >= 0 {
			value = value*16 + hexDigit(input[p])
			p++
			length++
		}
		if at(p) == '.' {
			// An embedded IPv4 address fills the last two pieces.
			if length == 0 {
				return addr, errInvalidHost
			}
			p -= length
			if pieceIndex > 6 {
				return addr, errInvalidHost
			}
			numbersSeen := 0
			for at(p) != eof {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if at(p) == '.' && numbersSeen < 4 {
						p++
					} else {
						return addr, errInvalidHost
					}
				}
				if c := at(p); c < '0' || c > '9' {
					return addr, errInvalidHost
				}
				for c := at(p); '0' <= c && c <= '9'; c = at(p) {
					n := c - '0'
					switch ipv4Piece {
					case -1:
						ipv4Piece = n
					case 0:
						return addr, errInvalidHost
					default:
						ipv4Piece = ipv4Piece*10 + n
					}
					if ipv4Piece > 255 {
						return addr, errInvalidHost
					}
					p++
				}
				addr[pieceIndex] = addr[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return addr, errInvalidHost
			}
			break
		} else if at(p) == ':' {
			p++
			if at(p) == eof {
				return addr, errInvalidHost
			}
		} else if at(p) != eof {
			return addr, errInvalidHost
		}
		addr[pieceIndex] = uint16(value)
		pieceIndex++
	}
	if compress != -1 {
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			addr[pieceIndex], addr[compress+swaps-1] = addr[compress+swaps-1], addr[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 {
		return addr, errInvalidHost
	}
	return addr, nil
}

// String is the IPv6 serialiser: lowercase hex, the first longest run of
// two or more zero pieces compressed to "::".
func (a ipv6Address) String() string {
	compress, bestLen := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > bestLen {
			compress, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == compress {
			if i == 0 {
				b.WriteString("::")
			} else {
				b.WriteByte(':')
			}
			i += bestLen - 1
			continue
		}
		b.WriteString(strconv.FormatUint(uint64(a[i]), 16))
		if i != 7 {
			b.WriteByte(':')
		}
	}
	return b.String()
}
