package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeList: whatever decodeList gives for a list type is what encoding/json gives, value
// and error alike (it either reads the input itself or hands it to encoding/json).
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{
		`[{"g":"ziekte","m":6,"d":"2025-01-02","k":"V-1"}]`,
		`[{"id":7,"d":"2024-03-01","g":"Utrecht","r":"b1","o":[{"s":"lezen","t":"behaald","b":0,"v":0},{"s":"map","t":"open","b":12,"v":80}]}, {"id":8,"d":"2024-04-01","g":"Zeist","r":"z","o":null}]`,
		`[{"id":1,"s":"Taalschool \"A\"","a":-120000,"d":"2024-01-01T00:00:00","pv":"2024-01-01","pt":"2024-03-31","st":"open","r":null,"bo":null,"bt":"2024-05-01T10:00:00+00:00"}]`,
		`[{"d":"2024-01-01","a":125000,"k":"B-1"}]`,
		`[]`, `null`, ` [ ] `, `[{}]`, `[{"a":1.5}]`, `[{"a":1e3}]`, `[{"a":01}]`, `[{"a":-9223372036854775808}]`,
		`[{"a":9223372036854775808}]`, `[{"m":2147483648}]`, `[{"k":"é\u00e9"}]`, "[{\"k\":\"\xff\"}]", `[{"K":"x"}]`,
		`[{"k":"a","k":"b"}]`, `[{"id":1,"o":[{"s":"a","b":1}],"o":[{"t":"b"}]}]`, `[{"x":1}]`, `[1]`, `{}`, `[{"g":"a"}] x`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		check := func(got, want any) {
			t.Helper()
			errGot := decodeList(src, got)
			errWant := json.Unmarshal([]byte(src), want)
			if (errGot == nil) != (errWant == nil) {
				t.Fatalf("%q: error %v, encoding/json %v", src, errGot, errWant)
			}
			if errGot == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q:\n got  %#v\n want %#v", src, got, want)
			}
		}
		check(&[]extensionJSON{}, &[]extensionJSON{})
		check(&[]pipJSON{}, &[]pipJSON{})
		check(&[]invoiceJSON{}, &[]invoiceJSON{})
		check(&[]fineJSON{}, &[]fineJSON{})
	})
}

// The lists as PostgreSQL (json_build_object: a space around each colon) and SQLite (compact)
// write them are read without encoding/json.
func TestDecodeListReadsTheStatementsShape(t *testing.T) {
	for _, c := range []struct {
		src string
		dst any
	}{
		{`[{"g" : "ziekte", "m" : 6, "d" : "2025-01-02", "k" : "V-2025-001"}]`, &[]extensionJSON{}},
		{`[{"id" : 3, "d" : "2024-03-01", "g" : "'s-Hertogenbosch", "r" : "b1", "o" : [{"s" : "lezen", "t" : "open", "b" : 0, "v" : 0}]}, {"id" : 4, "d" : "2024-06-01", "g" : "Utrecht", "r" : "z", "o" : null}]`, &[]pipJSON{}},
		{`[{"id" : 12, "s" : "Taalhuis Noord", "a" : 125000, "d" : "2024-01-05T00:00:00+00:00", "pv" : "2024-01-01T00:00:00+00:00", "pt" : "2024-03-31T00:00:00+00:00", "st" : "betaald", "r" : null, "bo" : "2024-01-20T09:30:00.123456+00:00", "bt" : null}]`, &[]invoiceJSON{}},
		{`[{"d":"2024-01-01","a":34000,"k":"B-1"}]`, &[]fineJSON{}},
		{`[{"id":3,"d":"2024-03-01","g":"Zwolle","r":"onderwijs","o":[{"s":"knm","t":"behaald","b":0,"v":0}]}]`, &[]pipJSON{}},
		{`[]`, &[]invoiceJSON{}},
	} {
		if !decodeListFast(c.src, c.dst) {
			t.Errorf("left to encoding/json: %s", c.src)
		}
	}
}
