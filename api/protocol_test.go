package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
)

// ---------------------------------------------------------------------------------------------
// 5. Protocol
// ---------------------------------------------------------------------------------------------

func TestProtocol(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	tok := c.token("yusuf")

	t.Run("openapi.json", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v2/openapi.json", "", header("Origin", "https://elsewhere.example")))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin %q", got)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		var spec struct {
			OpenAPI string `json:"openapi"`
			Info    struct {
				Title   string `json:"title"`
				Version string `json:"version"`
			} `json:"info"`
			Paths map[string]any `json:"paths"`
		}
		mustJSON(t, body, &spec)
		doc, err := api.GetSwagger()
		if err != nil {
			t.Fatal(err)
		}
		if spec.OpenAPI != doc.OpenAPI || spec.Info.Title != doc.Info.Title || spec.Info.Version != doc.Info.Version || spec.Info.Version != api.Version {
			t.Errorf("published %s %q %s, embedded %s %q %s", spec.OpenAPI, spec.Info.Title, spec.Info.Version, doc.OpenAPI, doc.Info.Title, doc.Info.Version)
		}
		if len(spec.Paths) != doc.Paths.Len() {
			t.Errorf("published %d paths, embedded %d", len(spec.Paths), doc.Paths.Len())
		}
	})

	t.Run("trailing slash is 404, not a redirect", func(t *testing.T) {
		for _, p := range []string{"/v2/mijn/lening/", "/v2/mijn/berichten/", "/v2/openapi.json/", "/v2/demo-tokens/", "/v2/"} {
			res, body := c.doUndocumented(newRequest(http.MethodGet, p, "", bearer(tok)))
			mustProblem(t, res, body, http.StatusNotFound)
		}
	})

	t.Run("unknown path is 404 problem", func(t *testing.T) {
		for _, p := range []string{"/v2/nope", "/v2/mijn", "/v2/mijn/leningen", "/v2/Mijn/Lening", "/v2", "/v2/mijn/berichten/1/bijlagen"} {
			res, body := c.doUndocumented(newRequest(http.MethodGet, p, "", bearer(tok)))
			mustProblem(t, res, body, http.StatusNotFound)
		}
		// Without a token too: unknown paths are not hidden behind 401.
		res, body := c.doUndocumented(newRequest(http.MethodGet, "/v2/nope", ""))
		mustProblem(t, res, body, http.StatusNotFound)
	})

	t.Run("wrong method is 405 with Allow", func(t *testing.T) {
		cases := []struct{ method, path, allow string }{
			{http.MethodDelete, "/v2/mijn/lening", "GET"},
			{http.MethodPost, "/v2/mijn/lening", "GET"},
			{http.MethodPut, "/v2/mijn/berichten/1", "GET, PATCH"},
			{http.MethodGet, "/v2/demo-tokens", "POST"},
			{http.MethodDelete, "/v2/openapi.json", "GET"},
		}
		for _, tc := range cases {
			res, body := c.doUndocumented(newRequest(tc.method, tc.path, "", bearer(tok)))
			mustProblem(t, res, body, http.StatusMethodNotAllowed)
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
			}
		}
	})

	t.Run("406 for unacceptable Accept", func(t *testing.T) {
		for _, accept := range []string{"text/html", "application/xml", "text/html, application/xhtml+xml", "application/json;q=0", "image/*"} {
			res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(tok), header("Accept", accept)))
			mustProblem(t, res, body, http.StatusNotAcceptable)
		}
		for _, accept := range []string{"application/json", "application/*", "*/*", "text/html, */*;q=0.1", "application/problem+json", "APPLICATION/JSON", "application/json; charset=utf-8"} {
			res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(tok), header("Accept", accept)))
			if res.StatusCode != http.StatusOK {
				t.Errorf("Accept %q: %d %s", accept, res.StatusCode, body)
			}
		}
		// Also on the public operations and on writes.
		res, body := c.do(newRequest(http.MethodGet, "/v2/openapi.json", "", header("Accept", "text/html")))
		mustProblem(t, res, body, http.StatusNotAcceptable)
		res, body = c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`, header("Accept", "text/html")))
		mustProblem(t, res, body, http.StatusNotAcceptable)
	})

	t.Run("problem titles follow Accept-Language", func(t *testing.T) {
		type answer struct {
			status int
			req    func(l string) *http.Request
		}
		for _, a := range []answer{
			{http.StatusBadRequest, func(l string) *http.Request {
				return newRequest(http.MethodGet, "/v2/mijn/berichten?limit=0", "", bearer(tok), lang(l))
			}},
			{http.StatusUnauthorized, func(l string) *http.Request { return newRequest(http.MethodGet, "/v2/mijn/lening", "", lang(l)) }},
			{http.StatusNotFound, func(l string) *http.Request {
				return newRequest(http.MethodGet, "/v2/mijn/berichten/999999", "", bearer(tok), lang(l))
			}},
			{http.StatusNotAcceptable, func(l string) *http.Request {
				return newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(tok), lang(l), header("Accept", "text/html"))
			}},
			{http.StatusUnsupportedMediaType, func(l string) *http.Request {
				return newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"yusuf"}`, lang(l), header("Content-Type", "text/plain"))
			}},
		} {
			nlRes, nlBody := c.do(a.req("nl"))
			enRes, enBody := c.do(a.req("en"))
			nl, en := mustProblem(t, nlRes, nlBody, a.status), mustProblem(t, enRes, enBody, a.status)
			if nl.Type != en.Type {
				t.Errorf("%d: type depends on the language: %q, %q", a.status, nl.Type, en.Type)
			}
			if nl.Title == en.Title || nl.Detail == en.Detail {
				t.Errorf("%d: not localized: nl %q/%q, en %q/%q", a.status, nl.Title, nl.Detail, en.Title, en.Detail)
			}
			if nlRes.Header.Get("Content-Language") != "nl" || enRes.Header.Get("Content-Language") != "en" {
				t.Errorf("%d: Content-Language %q, %q", a.status, nlRes.Header.Get("Content-Language"), enRes.Header.Get("Content-Language"))
			}
			for i := range nl.InvalidParams {
				if nl.InvalidParams[i].Code != en.InvalidParams[i].Code || nl.InvalidParams[i].Reason == en.InvalidParams[i].Reason {
					t.Errorf("%d: invalid param not localized: %+v, %+v", a.status, nl.InvalidParams[i], en.InvalidParams[i])
				}
			}
		}
		// Titles name the kind of problem: a 406 is not "invalid input".
		res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/lening", "", bearer(tok), lang("en"), header("Accept", "text/html")))
		if p := mustProblem(t, res, body, http.StatusNotAcceptable); p.Title == "Invalid input" {
			t.Errorf("406 titled %q", p.Title)
		}
		res, body = c.doUndocumented(newRequest(http.MethodDelete, "/v2/mijn/lening", "", bearer(tok), lang("en")))
		if p := mustProblem(t, res, body, http.StatusMethodNotAllowed); p.Title == "Invalid input" {
			t.Errorf("405 titled %q", p.Title)
		}
	})

	t.Run("instance is the request path", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v2/mijn/berichten/999999", "", bearer(tok)))
		if p := mustProblem(t, res, body, http.StatusNotFound); p.Instance != "/v2/mijn/berichten/999999" {
			t.Errorf("instance %q", p.Instance)
		}
	})

	t.Run("HEAD wherever GET works", func(t *testing.T) {
		// RFC 9110 §9.3.2: every GET operation of the spec (without path parameters), and one
		// with, answers HEAD with the GET's status and headers and no body; an error likewise.
		// Every GET path of the spec, its path parameters filled in (a seeded id, or one that
		// does not exist: the error answers HEAD as well).
		var paths []string
		fill := strings.NewReplacer("{soort}", "lening", "{berichtId}", "1", "{factuurId}", "1", "{urenverklaringId}", "1",
			"{aanvraagId}", "1", "{afspraakId}", "1", "{contractbestandId}", "1")
		for path, item := range c.doc.Paths.Map() {
			if item.Get != nil {
				p := fill.Replace(path)
				if strings.Contains(p, "{") {
					t.Errorf("no value for the parameters of %s", path)
				}
				paths = append(paths, "/v2"+p)
			}
		}
		paths = append(paths, "/v2/mijn/berichten/999999")
		if len(paths) < 20 {
			t.Fatalf("only %d GET paths in the spec: %v", len(paths), paths)
		}
		for _, path := range paths {
			get, getBody := c.send(newRequest(http.MethodGet, path, "", bearer(tok)))
			head, headBody := c.send(newRequest(http.MethodHead, path, "", bearer(tok)))
			if head.StatusCode != get.StatusCode || headBody != "" || getBody == "" {
				t.Errorf("HEAD %s: %d with %d bytes; GET: %d with %d bytes", path, head.StatusCode, len(headBody), get.StatusCode, len(getBody))
			}
			for _, h := range []string{"Content-Type", "API-Version", "Content-Language"} {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("HEAD %s: %s %q, GET: %q", path, h, head.Header.Get(h), get.Header.Get(h))
				}
			}
		}
		// The retired /v1 base path (API 1.0.0) redirects to /v2 with method and query kept.
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			res, _ := c.send(newRequest(m, "/v1/mijn/berichten?limit=2", "", bearer(tok)))
			if res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != "/v2/mijn/berichten?limit=2" {
				t.Errorf("%s /v1/mijn/berichten: %d to %q, want 308 to /v2/mijn/berichten?limit=2", m, res.StatusCode, res.Header.Get("Location"))
			}
		}
		if res, _ := c.send(newRequest(http.MethodHead, "/v1/openapi.json", "")); res.StatusCode != http.StatusPermanentRedirect ||
			res.Header.Get("Location") != "/v2/openapi.json" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("HEAD /v1/openapi.json: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := c.send(newRequest(http.MethodGet, "/v10/x", "")); res.StatusCode == http.StatusPermanentRedirect {
			t.Errorf("/v10/x redirected")
		}
		// Only GET gains HEAD: a POST-only resource still refuses it.
		res, body := c.send(newRequest(http.MethodHead, "/v2/demo-tokens", ""))
		if res.StatusCode != http.StatusMethodNotAllowed || body != "" {
			t.Errorf("HEAD /v2/demo-tokens: %d %q, want 405 without a body", res.StatusCode, body)
		}
	})
}
