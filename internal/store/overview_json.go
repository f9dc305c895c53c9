package store

import (
	"encoding/json"
	"math"
	"unicode/utf8"
)

// The overview statement returns its lists as JSON arrays of small objects with known keys.
// encoding/json decoded them through reflection, about a tenth of the server's CPU for an
// overview page or an own-data API request. decodeList reads the shape the statement writes —
// objects of known keys, strings without escapes, whole numbers, null, nested arrays — without
// reflection, and hands anything else (an escape in a string, an unknown key, a fraction) to
// encoding/json, so the result is always what encoding/json gives (FuzzDecodeList).

// decodeList decodes src into dst, one of the overview's list types.
func decodeList(src string, dst any) error {
	if decodeListFast(src, dst) {
		return nil
	}
	return json.Unmarshal([]byte(src), dst)
}

// decodeListFast decodes src into dst and reports true, or reports false and leaves dst as it
// was when src is not of the statement's shape.
func decodeListFast(src string, dst any) bool {
	p := &jsonScanner{s: src}
	var ok bool
	switch d := dst.(type) {
	case *[]extensionJSON:
		ok = decodeArray(p, d, func(e *extensionJSON, key string) bool {
			switch key {
			case "g":
				return p.str(&e.Ground)
			case "m":
				return p.int(&e.Months)
			case "d":
				return p.str(&e.Date)
			case "k":
				return p.str(&e.Ref)
			}
			return false
		})
	case *[]pipJSON:
		ok = decodeArray(p, d, func(e *pipJSON, key string) bool {
			switch key {
			case "id":
				return p.int64(&e.ID)
			case "d":
				return p.str(&e.Date)
			case "g":
				return p.str(&e.Gemeente)
			case "r":
				return p.str(&e.Route)
			case "o":
				return decodeArray(p, &e.Components, func(c *componentJSON, key string) bool {
					switch key {
					case "s":
						return p.str(&c.Kind)
					case "t":
						return p.str(&c.Status)
					case "b":
						return p.int(&c.Done)
					case "v":
						return p.int(&c.Required)
					}
					return false
				})
			}
			return false
		})
	case *[]invoiceJSON:
		ok = decodeArray(p, d, func(e *invoiceJSON, key string) bool {
			switch key {
			case "id":
				return p.int64(&e.ID)
			case "s":
				return p.str(&e.School)
			case "a":
				return p.int64(&e.Amount)
			case "d":
				return p.str(&e.Date)
			case "pv":
				return p.str(&e.PeriodStart)
			case "pt":
				return p.str(&e.PeriodEnd)
			case "st":
				return p.str(&e.Status)
			case "r":
				return p.strPtr(&e.Reason)
			case "bo":
				return p.strPtr(&e.DecidedAt)
			case "bt":
				return p.strPtr(&e.PaidOn)
			}
			return false
		})
	case *[]fineJSON:
		ok = decodeArray(p, d, func(e *fineJSON, key string) bool {
			switch key {
			case "d":
				return p.str(&e.Date)
			case "a":
				return p.int64(&e.Amount)
			case "k":
				return p.str(&e.Ref)
			}
			return false
		})
	}
	p.ws()
	return ok && p.i == len(p.s)
}

// decodeArray reads a JSON array of objects into *dst (null: nil; [] an empty, non-nil slice,
// as encoding/json), calling field for each key with the scanner on its value.
func decodeArray[T any](p *jsonScanner, dst *[]T, field func(e *T, key string) bool) bool {
	p.ws()
	if p.null() {
		*dst = nil
		return true
	}
	if !p.byte('[') {
		return false
	}
	out := make([]T, 0, 4)
	p.ws()
	if p.byte(']') {
		*dst = out
		return true
	}
	for {
		out = append(out, *new(T))
		e := &out[len(out)-1]
		p.ws()
		if !p.byte('{') {
			return false
		}
		p.ws()
		if !p.byte('}') {
			var seen [12]string // a key twice is left to encoding/json, which merges the two values
			n := 0
			for {
				var key string
				p.ws()
				if !p.str(&key) || n == len(seen) {
					return false
				}
				for _, k := range seen[:n] {
					if k == key {
						return false
					}
				}
				seen[n] = key
				n++
				p.ws()
				if !p.byte(':') {
					return false
				}
				p.ws()
				if !field(e, key) {
					return false
				}
				p.ws()
				if p.byte(',') {
					continue
				}
				if !p.byte('}') {
					return false
				}
				break
			}
		}
		p.ws()
		if p.byte(',') {
			continue
		}
		if !p.byte(']') {
			return false
		}
		*dst = out
		return true
	}
}

type jsonScanner struct {
	s string
	i int
}

func (p *jsonScanner) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c if it is next.
func (p *jsonScanner) byte(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// null consumes the literal null if it is next.
func (p *jsonScanner) null() bool {
	if len(p.s)-p.i >= 4 && p.s[p.i:p.i+4] == "null" {
		p.i += 4
		return true
	}
	return false
}

// str reads a string without escapes, of valid UTF-8 and no control characters, into *dst; null
// leaves *dst as it is (as encoding/json does for a non-pointer).
func (p *jsonScanner) str(dst *string) bool {
	if p.null() {
		return true
	}
	if !p.byte('"') {
		return false
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			if !utf8.ValidString(s) {
				return false
			}
			*dst = s
			return true
		case c == '\\' || c < 0x20:
			return false
		}
		p.i++
	}
	return false
}

// strPtr reads a string or null into *dst.
func (p *jsonScanner) strPtr(dst **string) bool {
	if p.null() {
		*dst = nil
		return true
	}
	var s string
	if !p.str(&s) {
		return false
	}
	*dst = &s
	return true
}

// int64 reads a whole number in JSON's syntax (no fraction, no exponent) into *dst; null leaves
// *dst as it is.
func (p *jsonScanner) int64(dst *int64) bool {
	if p.null() {
		return true
	}
	neg := p.byte('-')
	start := p.i
	var n uint64
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		if n > (math.MaxInt64+1)/10 {
			return false
		}
		n = n*10 + uint64(p.s[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || digits > 1 && p.s[start] == '0' || n > math.MaxInt64 && !(neg && n == math.MaxInt64+1) {
		return false
	}
	if p.i < len(p.s) && (p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		return false
	}
	if neg {
		*dst = -int64(n)
	} else {
		*dst = int64(n)
	}
	return true
}

// int reads a whole number that fits an int into *dst.
func (p *jsonScanner) int(dst *int) bool {
	if p.null() {
		return true
	}
	var n int64
	if !p.int64(&n) || int64(int(n)) != n {
		return false
	}
	*dst = int(n)
	return true
}
