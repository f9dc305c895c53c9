package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
)

// ---------------------------------------------------------------------------------------------
// 3. Berichten
// ---------------------------------------------------------------------------------------------

func TestBerichten(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	ahmad, kidane := c.token("ahmad"), c.token("kidane")

	list := func(t *testing.T, tok, target string, opts ...opt) (*http.Response, api.BerichtenLijst) {
		t.Helper()
		res, body := c.get(tok, target, http.StatusOK, opts...)
		var l api.BerichtenLijst
		mustJSON(t, body, &l)
		return res, l
	}

	// Ahmad's two messages were seeded at now−2h (welkom) and now−1h (fine pre-announcement).
	_, all := list(t, ahmad, "/v2/mijn/berichten")
	if len(all.Berichten) != 2 {
		t.Fatalf("ahmad has %d berichten, want 2", len(all.Berichten))
	}
	boete, welkom := all.Berichten[0], all.Berichten[1]

	t.Run("newest first", func(t *testing.T) {
		if boete.Soort != "boete_vooraankondiging" || welkom.Soort != "welkom" {
			t.Errorf("order %s, %s", boete.Soort, welkom.Soort)
		}
		if !boete.OntvangenOp.Equal(testenv.Now.Add(-time.Hour)) || !welkom.OntvangenOp.Equal(testenv.Now.Add(-2*time.Hour)) {
			t.Errorf("ontvangenOp %v, %v", boete.OntvangenOp, welkom.OntvangenOp)
		}
		if boete.Gelezen || welkom.Gelezen {
			t.Error("seeded messages are unread")
		}
		if all.Volgende != nil {
			t.Errorf("volgende %q on the only page", *all.Volgende)
		}
	})

	t.Run("pagination", func(t *testing.T) {
		res, p1 := list(t, ahmad, "/v2/mijn/berichten?limit=1")
		if len(p1.Berichten) != 1 || p1.Berichten[0].ID != boete.ID {
			t.Fatalf("page 1: %+v", p1.Berichten)
		}
		if p1.Volgende == nil {
			t.Fatal("no volgende on page 1")
		}
		link := res.Header.Get("Link")
		m := regexp.MustCompile(`^<([^>]+)>; rel="next"$`).FindStringSubmatch(link)
		if m == nil {
			t.Fatalf("Link %q", link)
		}
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if u.Path != "/v2/mijn/berichten" || u.Query().Get("cursor") != *p1.Volgende || u.Query().Get("limit") != "1" {
			t.Errorf("Link %q does not carry volgende %q and limit 1", link, *p1.Volgende)
		}
		// Following the Link header gives the second and last page.
		res, p2 := list(t, ahmad, m[1])
		if len(p2.Berichten) != 1 || p2.Berichten[0].ID != welkom.ID {
			t.Fatalf("page 2: %+v", p2.Berichten)
		}
		if p2.Volgende != nil || res.Header.Get("Link") != "" {
			t.Errorf("last page has volgende %v, Link %q", p2.Volgende, res.Header.Get("Link"))
		}
		// The cursor in volgende works the same.
		_, p2b := list(t, ahmad, "/v2/mijn/berichten?limit=1&cursor="+url.QueryEscape(*p1.Volgende))
		if len(p2b.Berichten) != 1 || p2b.Berichten[0].ID != welkom.ID {
			t.Errorf("page 2 by volgende: %+v", p2b.Berichten)
		}
		// A page exactly as large as what is left has no next page.
		res, exact := list(t, ahmad, "/v2/mijn/berichten?limit=2")
		if len(exact.Berichten) != 2 || exact.Volgende != nil || res.Header.Get("Link") != "" {
			t.Errorf("limit=2: %d berichten, volgende %v, Link %q", len(exact.Berichten), exact.Volgende, res.Header.Get("Link"))
		}
		// Another persona's inbox is empty from ahmad's cursor on, and it never shows ahmad's.
		_, other := list(t, kidane, "/v2/mijn/berichten?limit=1&cursor="+url.QueryEscape(*p1.Volgende))
		for _, b := range other.Berichten {
			if b.ID == welkom.ID || b.ID == boete.ID {
				t.Errorf("kidane sees ahmad's bericht %d", b.ID)
			}
		}
	})

	badQueries := []struct {
		query string
		want  []string
	}{
		{"limit=0", []string{"limit:error.field_range"}},
		{"limit=101", []string{"limit:error.field_range"}},
		{"limit=-1", []string{"limit:error.field_range"}},
		{"limit=abc", []string{"limit:error.field_invalid"}},
		{"limit=1.5", []string{"limit:error.field_invalid"}},
		{"limit=99999999999999999999", []string{"limit:error.field_invalid"}},
		{"cursor=", []string{"cursor:error.field_format"}},
		{"cursor=" + strings.Repeat("A", 201), []string{"cursor:error.field_format"}},
		{"cursor=bogus", []string{"cursor:error.cursor_invalid"}},
		{"cursor=MTIzNDU2Nzg5MC4w", []string{"cursor:error.cursor_invalid"}},             // "1234567890.0": id 0
		{"cursor=LTEuMQ", []string{"cursor:error.cursor_invalid"}},                       // "-1.1": before 1970
		{"cursor=MTc4MDEyMzQ1Njc4OTAxMi40Mg==", []string{"cursor:error.cursor_invalid"}}, // padded: not canonical
		{"limit=0&cursor=", []string{"cursor:error.field_format", "limit:error.field_range"}},
		{"limit=1&limit=2", []string{"limit:error.field_invalid"}},
		{"limit=0&limit=2&cursor=a&cursor=b", []string{"cursor:error.field_invalid", "limit:error.field_invalid", "limit:error.field_range"}},
	}
	for _, tc := range badQueries {
		t.Run("400 "+tc.query, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/berichten?"+tc.query, "", bearer(ahmad)))
			p := mustProblem(t, res, body, http.StatusBadRequest)
			got, want := p.violations(), slices.Clone(tc.want)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("invalidParams %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("limit 1 and 100 are fine", func(t *testing.T) {
		list(t, ahmad, "/v2/mijn/berichten?limit=1")
		list(t, ahmad, "/v2/mijn/berichten?limit=100")
	})

	t.Run("one bericht", func(t *testing.T) {
		_, body := c.get(ahmad, fmt.Sprintf("/v2/mijn/berichten/%d", boete.ID), http.StatusOK)
		var b api.Bericht
		mustJSON(t, body, &b)
		if b.ID != boete.ID || b.Soort != boete.Soort || b.Onderwerp != boete.Onderwerp || b.Inhoud != boete.Inhoud || b.Gelezen {
			t.Errorf("bericht %+v, listed as %+v", b, boete)
		}
		// Reading it through the API does not mark it read.
		_, body = c.get(ahmad, fmt.Sprintf("/v2/mijn/berichten/%d", boete.ID), http.StatusOK)
		mustJSON(t, body, &b)
		if b.Gelezen {
			t.Error("GET marked the bericht read")
		}
	})

	t.Run("another persona's bericht is not found", func(t *testing.T) {
		for _, m := range []string{http.MethodGet, http.MethodPatch} {
			body := ""
			if m == http.MethodPatch {
				body = `{"gelezen":true}`
			}
			res, rb := c.do(newRequest(m, fmt.Sprintf("/v2/mijn/berichten/%d", boete.ID), body, bearer(kidane)))
			p := mustProblem(t, res, rb, http.StatusNotFound)
			if !strings.HasSuffix(p.Type, "error.bericht_not_found") {
				t.Errorf("type %q", p.Type)
			}
		}
		_, body := c.get(ahmad, fmt.Sprintf("/v2/mijn/berichten/%d", boete.ID), http.StatusOK)
		var b api.Bericht
		mustJSON(t, body, &b)
		if b.Gelezen {
			t.Error("kidane's PATCH changed ahmad's bericht")
		}
	})

	for _, id := range []string{"abc", "0", "-1", "1.0", "1e3", "9223372036854775808", "%20", "١"} {
		t.Run("400 id "+id, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/berichten/"+id, "", bearer(ahmad)))
			p := mustProblem(t, res, body, http.StatusBadRequest)
			if got := p.violations(); len(got) != 1 || !strings.HasPrefix(got[0], "berichtId:") {
				t.Errorf("invalidParams %v", got)
			}
		})
	}
	t.Run("404 id beyond the last", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/berichten/9223372036854775807", "", bearer(ahmad)))
		mustProblem(t, res, body, http.StatusNotFound)
	})

	patch := func(t *testing.T, tok string, id int64, body string, opts ...opt) (*http.Response, string) {
		t.Helper()
		return c.do(newRequest(http.MethodPatch, fmt.Sprintf("/v2/mijn/berichten/%d", id), body, append([]opt{bearer(tok)}, opts...)...))
	}
	gelezen := func(t *testing.T, id int64) bool {
		t.Helper()
		_, body := c.get(ahmad, fmt.Sprintf("/v2/mijn/berichten/%d", id), http.StatusOK)
		var b api.Bericht
		mustJSON(t, body, &b)
		return b.Gelezen
	}

	t.Run("PATCH gelezen round trip", func(t *testing.T) {
		for _, want := range []bool{true, true, false, false, true} {
			res, body := patch(t, ahmad, welkom.ID, fmt.Sprintf(`{"gelezen":%t}`, want))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var b api.Bericht
			mustJSON(t, body, &b)
			if b.Gelezen != want || b.ID != welkom.ID {
				t.Errorf("PATCH answered %+v, want gelezen %t", b, want)
			}
			if got := gelezen(t, welkom.ID); got != want {
				t.Errorf("GET after PATCH %t: gelezen %t", want, got)
			}
			_, l := list(t, ahmad, "/v2/mijn/berichten")
			for _, lb := range l.Berichten {
				if lb.ID == welkom.ID && lb.Gelezen != want {
					t.Errorf("list after PATCH %t: gelezen %t", want, lb.Gelezen)
				}
			}
		}
		// The other message is untouched.
		if gelezen(t, boete.ID) {
			t.Error("PATCH of one bericht changed another")
		}
	})

	badPatches := []struct {
		name, body string
		want       []string
	}{
		{"case twin", `{"gelezen":true,"GELEZEN":false}`, []string{"GELEZEN:error.field_unknown"}},
		{"case twin, reversed", `{"GELEZEN":false,"gelezen":true}`, []string{"GELEZEN:error.field_unknown"}},
		{"only the twin", `{"Gelezen":true}`, []string{"Gelezen:error.field_unknown", "gelezen:error.field_required"}},
		{"missing", `{}`, []string{"gelezen:error.field_required"}},
		{"string", `{"gelezen":"true"}`, []string{"gelezen:error.field_type"}},
		{"number", `{"gelezen":1}`, []string{"gelezen:error.field_type"}},
		{"null", `{"gelezen":null}`, []string{"gelezen:error.field_type"}},
		{"not JSON", `gelezen=true`, []string{"body:error.field_invalid"}},
		{"trailing garbage", `{"gelezen":true} garbage`, []string{"body:error.field_invalid"}},
		{"duplicate key", `{"gelezen":true,"gelezen":false}`, nil}, // see below
	}
	for _, tc := range badPatches {
		t.Run("PATCH 400 "+tc.name, func(t *testing.T) {
			before := gelezen(t, boete.ID)
			res, body := patch(t, ahmad, boete.ID, tc.body)
			if tc.want == nil {
				// Duplicate members are not invalid JSON (RFC 8259 says names SHOULD be unique);
				// whatever the answer, the stored value must be the one the answer reports.
				if res.StatusCode == http.StatusOK {
					var b api.Bericht
					mustJSON(t, body, &b)
					if got := gelezen(t, boete.ID); got != b.Gelezen {
						t.Errorf("answered gelezen %t, stored %t", b.Gelezen, got)
					}
					patch(t, ahmad, boete.ID, fmt.Sprintf(`{"gelezen":%t}`, before))
				} else {
					mustProblem(t, res, body, http.StatusBadRequest)
				}
				return
			}
			p := mustProblem(t, res, body, http.StatusBadRequest)
			got, want := p.violations(), slices.Clone(tc.want)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("invalidParams %v, want %v", got, tc.want)
			}
			if after := gelezen(t, boete.ID); after != before {
				t.Errorf("a refused PATCH changed gelezen from %t to %t", before, after)
			}
		})
	}
	t.Run("PATCH 415", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "application/merge-patch+json", ""} {
			res, body := patch(t, ahmad, boete.ID, `{"gelezen":true}`, header("Content-Type", ct))
			mustProblem(t, res, body, http.StatusUnsupportedMediaType)
		}
		if gelezen(t, boete.ID) {
			t.Error("a refused PATCH changed gelezen")
		}
	})
	t.Run("PATCH 413", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodPatch, fmt.Sprintf("/v2/mijn/berichten/%d", boete.ID),
			`{"gelezen":true,"x":"`+strings.Repeat("x", 1<<20)+`"}`, bearer(ahmad)))
		mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
		if gelezen(t, boete.ID) {
			t.Error("a refused PATCH changed gelezen")
		}
	})

	t.Run("languages", func(t *testing.T) {
		// Without Accept-Language the profile's language answers: ahmad reads Pashto. His announced fine,
		// EUR 625, comes from the Wi2013 table (180 keurmerk hours, every part attempted once).
		res, ps := list(t, ahmad, "/v2/mijn/berichten")
		if cl := res.Header.Get("Content-Language"); cl != "ps" {
			t.Errorf("Content-Language %q without Accept-Language, want the profile's ps", cl)
		}
		for _, b := range ps.Berichten {
			if b.Soort == "boete_vooraankondiging" && !strings.Contains(b.Inhoud, "\u2068625.00 €\u2069") {
				t.Errorf("ps inhoud %q lacks the isolated amount", b.Inhoud)
			}
		}
		res, nl := list(t, ahmad, "/v2/mijn/berichten", lang("nl"))
		if cl := res.Header.Get("Content-Language"); cl != "nl" {
			t.Errorf("Content-Language %q for Accept-Language nl", cl)
		}
		res, en := list(t, ahmad, "/v2/mijn/berichten", lang("en"))
		if cl := res.Header.Get("Content-Language"); cl != "en" {
			t.Errorf("Content-Language %q for Accept-Language en", cl)
		}
		if vary := strings.Join(res.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") {
			t.Errorf("Vary %q", vary)
		}
		want := map[string][2]string{ // onderwerp nl, en
			"boete_vooraankondiging": {"Vooraankondiging termijnoverschrijding: DUO is van plan u een boete te geven", "Advance notice that DUO intends to give you a fine"},
			"welkom":                 {"Welkom bij Mijn Inburgering", "Welcome to Mijn Inburgering"},
		}
		for i := range nl.Berichten {
			n, e := nl.Berichten[i], en.Berichten[i]
			if n.ID != e.ID {
				t.Fatalf("order differs per language")
			}
			if w := want[n.Soort]; n.Onderwerp != w[0] || e.Onderwerp != w[1] {
				t.Errorf("%s: onderwerp nl %q, en %q", n.Soort, n.Onderwerp, e.Onderwerp)
			}
		}
		// The fine's parameters are formatted for the reader: amount, reply date (today + 14 days).
		n, e := nl.Berichten[0], en.Berichten[0]
		// and it says how to respond: DUO's phone number and postal address.
		for _, s := range []string{"€ 625,00", "13 december 2026", "BV-2026-1187", "050 599 96 00", "Postbus 764, 9700 AT Groningen"} {
			if !strings.Contains(n.Inhoud, s) {
				t.Errorf("nl inhoud %q lacks %q", n.Inhoud, s)
			}
		}
		for _, s := range []string{"€625.00", "13 December 2026", "BV-2026-1187"} {
			if !strings.Contains(e.Inhoud, s) {
				t.Errorf("en inhoud %q lacks %q", e.Inhoud, s)
			}
		}
		// A language without a message file falls back to Dutch; a preference list is honoured.
		for h, want := range map[string]string{"ja": "nl", "ja, en;q=0.8": "en", "de-DE,de;q=0.9,en-US;q=0.8": "en", "en-GB": "en", "nl-BE, en;q=0.9": "nl", "*": "nl", "garbage;;q=x": "nl"} {
			res, _ := list(t, ahmad, "/v2/mijn/berichten", lang(h))
			if cl := res.Header.Get("Content-Language"); cl != want {
				t.Errorf("Accept-Language %q: Content-Language %q, want %q", h, cl, want)
			}
		}
		// PATCH and single GET answer in the asked language too.
		res, body := patch(t, ahmad, welkom.ID, `{"gelezen":false}`, lang("en"))
		var b api.Bericht
		mustJSON(t, body, &b)
		if b.Onderwerp != "Welcome to Mijn Inburgering" || res.Header.Get("Content-Language") != "en" {
			t.Errorf("PATCH in en: %q, Content-Language %q", b.Onderwerp, res.Header.Get("Content-Language"))
		}
	})
}

// TestBerichtReplyDate: a letter that asks for a reply says by when, and once that date has passed
// the API says so and what is still possible, rather than a "respond by" that no longer holds.
func TestBerichtReplyDate(t *testing.T) {
	t.Parallel()
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	boete := func(t *testing.T) api.Bericht {
		t.Helper()
		_, body := c.get(c.token("ahmad"), "/v2/mijn/berichten", http.StatusOK) // a fresh token: the clock moves
		var l api.BerichtenLijst
		mustJSON(t, body, &l)
		for _, b := range l.Berichten {
			if b.Soort == "boete_vooraankondiging" {
				return b
			}
		}
		t.Fatal("no fine pre-announcement")
		return api.Bericht{}
	}
	// Seeded with a reply date 14 days after the test date: 13 December 2026.
	for _, tt := range []struct {
		name    string
		advance time.Duration
		passed  bool
	}{
		{"on the day it arrives", 0, false},
		{"on the reply date itself", 14 * 24 * time.Hour, false},
		{"the day after the reply date", 24 * time.Hour, true},
	} {
		clock.Advance(tt.advance)
		b := boete(t)
		if b.Reactiedatum == nil || b.Reactiedatum.String() != "2026-12-13" {
			t.Fatalf("%s: reactiedatum %v, want 2026-12-13", tt.name, b.Reactiedatum)
		}
		if b.ReactiedatumVerstreken == nil || *b.ReactiedatumVerstreken != tt.passed {
			t.Errorf("%s: reactiedatumVerstreken %v, want %v", tt.name, b.ReactiedatumVerstreken, tt.passed)
		}
		if (b.Waarschuwing != nil) != tt.passed {
			t.Errorf("%s: waarschuwing %v", tt.name, b.Waarschuwing)
		}
		if tt.passed && !strings.Contains(*b.Waarschuwing, "13") { // in ahmad's profile language (Pashto)
			t.Errorf("%s: waarschuwing %q does not name the date", tt.name, *b.Waarschuwing)
		}
	}
	// A letter that asks for nothing carries neither field.
	_, body := c.get(c.token("ahmad"), "/v2/mijn/berichten", http.StatusOK)
	var l api.BerichtenLijst
	mustJSON(t, body, &l)
	for _, b := range l.Berichten {
		if b.Soort == "welkom" && (b.Reactiedatum != nil || b.ReactiedatumVerstreken != nil || b.Waarschuwing != nil) {
			t.Errorf("welkom letter carries reply fields: %+v", b)
		}
	}
}
