package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzJSONText checks jsonText against decoding the document: a valid JSON document passes exactly
// when it is UTF-8 and no decoded string or member name holds a NUL.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`{"persona":"yusuf"}`, `{"persona":"yusuf\u0000"}`, `{"a\u0000":1}`, `["\u0000"]`,
		`"\\u0000"`, "{\"a\":\"\xff\"}", `{"a":{"b":[1,"x",{"c":"\u0000"}]}}`, `null`, `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("valid but not decodable: %v", err)
		}
		want := utf8.Valid(data) && !holdsNUL(v)
		if field, ok := jsonText(data); ok != want || (!ok && field == "") {
			t.Fatalf("jsonText(%q) = %q, %v; want ok=%v", data, field, ok, want)
		}
	})
}

func holdsNUL(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, 0)
	case []any:
		for _, e := range x {
			if holdsNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, 0) || holdsNUL(e) {
				return true
			}
		}
	}
	return false
}
