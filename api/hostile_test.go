package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
)

// ---------------------------------------------------------------------------------------------
// 6. Hostile input never answers 500
// ---------------------------------------------------------------------------------------------

func TestHostileInput(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("ahmad")

	type hostile struct {
		name   string
		method string
		target string
		body   string
		opts   []opt
	}
	big := strings.Repeat("a", 64<<10)
	cases := []hostile{
		{name: "huge query", method: "GET", target: "/v2/mijn/berichten?" + strings.Repeat("limit=1&", 8000)},
		{name: "huge cursor", method: "GET", target: "/v2/mijn/berichten?cursor=" + big},
		{name: "huge limit", method: "GET", target: "/v2/mijn/berichten?limit=" + strings.Repeat("9", 10000)},
		{name: "many unknown parameters", method: "GET", target: "/v2/mijn/berichten?" + strings.Repeat("x=1&", 5000)},
		{name: "bad escapes in query", method: "GET", target: "/v2/mijn/berichten?limit=%zz&cursor=%"},
		{name: "NUL in query", method: "GET", target: "/v2/mijn/berichten?cursor=%00"},
		{name: "NUL in path", method: "GET", target: "/v2/mijn/berichten/%00"},
		{name: "NUL in unknown path", method: "GET", target: "/v2/%00"},
		{name: "unicode path", method: "GET", target: "/v2/mijn/l%C3%A9ning"},
		{name: "unicode id", method: "GET", target: "/v2/mijn/berichten/%E2%80%AE%D9%A1"},
		{name: "emoji cursor", method: "GET", target: "/v2/mijn/berichten?cursor=%F0%9F%98%80"},
		{name: "invalid UTF-8 cursor", method: "GET", target: "/v2/mijn/berichten?cursor=%FF%FE"},
		{name: "negative id", method: "GET", target: "/v2/mijn/berichten/-9223372036854775808"},
		{name: "id beyond int64", method: "GET", target: "/v2/mijn/berichten/99999999999999999999999999"},
		{name: "id beyond int64, PATCH", method: "PATCH", target: "/v2/mijn/berichten/18446744073709551616", body: `{"gelezen":true}`},
		{name: "max int64 id, PATCH", method: "PATCH", target: "/v2/mijn/berichten/9223372036854775807", body: `{"gelezen":true}`},
		{name: "dot segments", method: "GET", target: "/v2/mijn/../mijn/lening"},
		{name: "encoded slash", method: "GET", target: "/v2/mijn/berichten/1%2F2"},
		{name: "double slash", method: "GET", target: "/v2//mijn/lening"},
		{name: "very long path", method: "GET", target: "/v2/mijn/berichten/" + big},
		{name: "cursor far in the future", method: "GET", target: "/v2/mijn/berichten?cursor=" + app.BerichtCursor{CreatedAt: time.UnixMicro(1 << 62).UTC(), ID: 1}.String()},
		{name: "cursor with max id", method: "GET", target: "/v2/mijn/berichten?cursor=" + app.BerichtCursor{CreatedAt: testenv.Now, ID: 1<<63 - 1}.String()},
		{name: "deeply nested body", method: "PATCH", target: "/v2/mijn/berichten/1", body: `{"gelezen":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`},
		{name: "deeply nested extra member", method: "POST", target: "/v2/demo-tokens", body: `{"persona":"amal","x":` + strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000) + `}`},
		{name: "NUL in persona", method: "POST", target: "/v2/demo-tokens", body: `{"persona":"am\u0000al"}`},
		{name: "invalid UTF-8 in body", method: "POST", target: "/v2/demo-tokens", body: "{\"persona\":\"\xff\xfe\"}"},
		{name: "huge number", method: "PATCH", target: "/v2/mijn/berichten/1", body: `{"gelezen":1e999999}`},
		{name: "long Accept-Language", method: "GET", target: "/v2/mijn/lening", opts: []opt{lang(strings.Repeat("en-GB-oxendict-x-", 1000))}},
		{name: "bad Accept-Language", method: "GET", target: "/v2/mijn/lening", opts: []opt{lang(";;;q=,,,\x00")}},
		{name: "long Accept", method: "GET", target: "/v2/mijn/lening", opts: []opt{header("Accept", strings.Repeat("text/html;q=0.1, ", 5000))}},
		{name: "bad Content-Type", method: "POST", target: "/v2/demo-tokens", body: `{"persona":"amal"}`, opts: []opt{header("Content-Type", "application/json; charset=\"")}},
		{name: "Content-Type with many parameters", method: "POST", target: "/v2/demo-tokens", body: `{"persona":"amal"}`, opts: []opt{header("Content-Type", "application/json"+strings.Repeat("; a=b", 2000))}},
		{name: "TRACE", method: "TRACE", target: "/v2/mijn/lening"},
		{name: "OPTIONS", method: "OPTIONS", target: "/v2/openapi.json", opts: []opt{header("Origin", "https://x.example"), header("Access-Control-Request-Method", "GET")}},
		{name: "odd method", method: "FOO", target: "/v2/mijn/lening"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(tc.method, tc.target, tc.body, append([]opt{bearer(tok)}, tc.opts...)...)
			res, body := c.send(req)
			if res.StatusCode >= 500 {
				t.Fatalf("%s %.80s → %d: %s", tc.method, tc.target, res.StatusCode, body)
			}
			// Check the answer against the spec wherever the spec describes it.
			if c.documented(req, res.StatusCode) {
				c.check(t, req, res)
			} else {
				c.checkUndocumented(t, req, res, body)
			}
		})
	}

	t.Run("PATCH max int64 changed nothing", func(t *testing.T) {
		_, body := c.get(tok, "/v2/mijn/berichten", http.StatusOK)
		var l api.BerichtenLijst
		mustJSON(t, body, &l)
		for _, b := range l.Berichten {
			if b.Gelezen {
				t.Errorf("bericht %d became read", b.ID)
			}
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 7. Fuzzing
// ---------------------------------------------------------------------------------------------

// FuzzListBerichtenQuery sends arbitrary query strings to GET /v2/mijn/berichten as an
// authenticated persona: the answer is never a 5xx, always what openapi.yaml allows, and a 200
// never lists another persona's messages.
func FuzzListBerichtenQuery(f *testing.F) {
	a := testenv.New(f, testenv.Options{})
	c := wrap(f, a)
	tok := c.token("ahmad")
	_, body := c.get(tok, "/v2/mijn/berichten?limit=1", http.StatusOK)
	var first api.BerichtenLijst
	mustJSON(f, body, &first)
	own := map[int64]bool{}
	_, body = c.get(tok, "/v2/mijn/berichten", http.StatusOK)
	var all api.BerichtenLijst
	mustJSON(f, body, &all)
	for _, b := range all.Berichten {
		own[b.ID] = true
	}

	for _, seed := range []string{
		"", "limit=1", "limit=100", "limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1&limit=2",
		"cursor=" + *first.Volgende, "cursor=" + *first.Volgende + "&limit=1", "cursor=", "cursor=bogus",
		"cursor=MTc4MDEyMzQ1Njc4OTAxMi40Mg", "cursor=%00", "limit=%zz", "x=1", "limit=1e2", "limit=+1", "limit=%201", "limit=0x10",
		"cursor=" + app.BerichtCursor{CreatedAt: time.UnixMicro(1 << 62), ID: 1}.String(),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		target := "/v2/mijn/berichten?" + query
		// Only what a real server would deliver: a request line without spaces or control bytes.
		if strings.ContainsAny(query, " #") || strings.IndexFunc(query, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			t.Skip()
		}
		if _, err := url.ParseRequestURI(target); err != nil {
			t.Skip()
		}
		req := httptest.NewRequest(http.MethodGet, "/v2/mijn/berichten", nil)
		req.URL.RawQuery = query
		req.RequestURI = target
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		a.Echo.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode >= 500 {
			t.Fatalf("?%q → %d: %s", query, res.StatusCode, rec.Body.String())
		}
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusBadRequest {
			t.Fatalf("?%q → %d: %s", query, res.StatusCode, rec.Body.String())
		}
		c.v.Check(t, req, res)
		checkProtocol(t, req, res)
		if res.StatusCode == http.StatusOK {
			var l api.BerichtenLijst
			if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
				t.Fatal(err)
			}
			for _, b := range l.Berichten {
				if !own[b.ID] {
					t.Fatalf("?%q lists bericht %d, not ahmad's", query, b.ID)
				}
			}
			if l.Volgende != nil {
				if _, err := app.ParseCursor(*l.Volgende); err != nil {
					t.Fatalf("?%q: volgende %q does not parse: %v", query, *l.Volgende, err)
				}
			}
		}
	})
}
