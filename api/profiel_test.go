package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

// TestProfiel: the preferred language is one setting, read and written through the API as the
// portal's language switcher does, and it decides the language of later answers.
func TestProfiel(t *testing.T) {
	c := newClient(t, testenv.Options{})
	tok := c.token("yusuf")
	json := header("Content-Type", "application/json")

	res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/profiel", "", bearer(tok)))
	if res.StatusCode != http.StatusOK || body != `{"naam":"Yusuf Demir","voorkeurstaal":"tr"}`+"\n" {
		t.Fatalf("GET profiel: %d %s", res.StatusCode, body)
	}

	res, body = c.do(newRequest(http.MethodPatch, "/v2/mijn/profiel", `{"voorkeurstaal":"ar"}`, bearer(tok), json))
	if res.StatusCode != http.StatusOK || body != `{"naam":"Yusuf Demir","voorkeurstaal":"ar"}`+"\n" {
		t.Fatalf("PATCH profiel: %d %s", res.StatusCode, body)
	}
	p, err := c.a.Service.PersonaLogin(context.Background(), "yusuf")
	if err != nil || p.PreferredLanguage != "ar" {
		t.Fatalf("stored language %q (%v), want ar", p.PreferredLanguage, err)
	}
	// Without Accept-Language the API now answers in Arabic.
	res, _ = c.do(newRequest(http.MethodGet, "/v2/mijn/berichten", "", bearer(tok)))
	if cl := res.Header.Get("Content-Language"); cl != "ar" {
		t.Errorf("Content-Language %q after choosing ar", cl)
	}

	bad := []struct {
		name, body string
		status     int
		violation  string
	}{
		{"language not offered (the enum)", `{"voorkeurstaal":"de"}`, 400, "voorkeurstaal:error.field_format"},
		{"not a code the site offers", `{"voorkeurstaal":"aa"}`, 400, "voorkeurstaal:error.field_format"},
		{"not a language code", `{"voorkeurstaal":"Arabisch"}`, 400, "voorkeurstaal:error.field_format"},
		{"missing", `{}`, 400, "voorkeurstaal:error.field_required"},
		{"unknown member", `{"voorkeurstaal":"nl","naam":"X"}`, 400, "naam:error.field_unknown"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			res, body := c.do(newRequest(http.MethodPatch, "/v2/mijn/profiel", tc.body, bearer(tok), json, lang("en")))
			pr := mustProblem(t, res, body, tc.status)
			if !slices.Contains(pr.violations(), tc.violation) {
				t.Errorf("violations %v, want %s", pr.violations(), tc.violation)
			}
			if p, _ := c.a.Service.PersonaLogin(context.Background(), "yusuf"); p.PreferredLanguage != "ar" {
				t.Errorf("a refused PATCH changed the language to %q", p.PreferredLanguage)
			}
		})
	}
	res, body = c.do(newRequest(http.MethodGet, "/v2/mijn/profiel", ""))
	mustProblem(t, res, body, http.StatusUnauthorized)
}
