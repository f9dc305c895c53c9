package app

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// String encodes the cursor as an opaque, URL-safe token.
func (c BerichtCursor) String() string {
	raw := strconv.FormatInt(c.CreatedAt.UTC().UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor decodes a cursor token; anything malformed is invalid input.
func ParseCursor(s string) (BerichtCursor, error) {
	bad := domain.Invalid(domain.Violation{Field: "cursor", MessageID: "error.cursor_invalid"})
	if len(s) > 200 {
		return BerichtCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return BerichtCursor{}, bad
	}
	ts, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return BerichtCursor{}, bad
	}
	micros, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || micros < 0 {
		return BerichtCursor{}, bad
	}
	c := BerichtCursor{CreatedAt: time.UnixMicro(micros).UTC(), ID: n}
	if c.CreatedAt.Year() > 9999 {
		return BerichtCursor{}, bad // beyond what both databases compare alike
	}
	if c.String() != s {
		return BerichtCursor{}, bad // only canonical encodings, so one cursor has one spelling
	}
	return c, nil
}

var _ fmt.Stringer = BerichtCursor{}
