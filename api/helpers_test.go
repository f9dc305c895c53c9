package api_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// client drives the real router of a seeded app and checks every response it gets: against
// openapi.yaml (status, headers, body) and against the protocol rules every /v2 response
// follows (API-Version, security headers).
type client struct {
	t   testing.TB
	a   *wire.App
	v   *testenv.Validator
	b   *testenv.Browser
	doc *openapi3.T
	rt  routers.Router
}

func newClient(t testing.TB, o testenv.Options) *client {
	t.Helper()
	a := testenv.New(t, o)
	return wrap(t, a)
}

func wrap(t testing.TB, a *wire.App) *client {
	t.Helper()
	doc, rt := testenv.SpecRouter(t)
	return &client{t: t, a: a, v: testenv.NewValidator(t), b: testenv.NewBrowser(t, a.Echo), doc: doc, rt: rt}
}

// opt changes a request before it is sent.
type opt func(*http.Request)

func bearer(token string) opt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func header(k, v string) opt { return func(r *http.Request) { r.Header.Set(k, v) } }

func lang(code string) opt { return header("Accept-Language", code) }

// newRequest builds a request; a non-empty body is sent as application/json unless an opt says otherwise.
func newRequest(method, target, body string, opts ...opt) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// send sends req without any check; do and doUndocumented are the checked ways.
func (c *client) send(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res := c.b.Do(req)
	return res, testenv.ReadBody(c.t, res)
}

// do sends req and fails the test unless the response is one openapi.yaml allows for the
// operation (including its status) and carries the headers every /v2 response carries.
func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, body := c.send(req)
	c.check(c.t, req, res)
	return res, body
}

func (c *client) check(t testing.TB, req *http.Request, res *http.Response) {
	t.Helper()
	c.v.Check(t, req, res)
	checkProtocol(t, req, res)
}

// doUndocumented is do for the responses openapi.yaml cannot or does not describe: paths or
// methods the spec does not have (unknown path, trailing slash, 405), and statuses an operation
// does not list. It fails when the spec does describe the response (then use do), and otherwise
// checks what the spec promises for all errors: a problem+json body matching the Problem schema,
// API-Version and the security headers.
func (c *client) doUndocumented(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, body := c.send(req)
	c.checkUndocumented(c.t, req, res, body)
	return res, body
}

// documented reports whether openapi.yaml describes the answer status to req.
func (c *client) documented(req *http.Request, status int) bool {
	route, _, err := c.rt.FindRoute(req)
	return err == nil && (route.Operation.Responses.Status(status) != nil || route.Operation.Responses.Default() != nil)
}

func (c *client) checkUndocumented(t testing.TB, req *http.Request, res *http.Response, body string) {
	t.Helper()
	if c.documented(req, res.StatusCode) {
		t.Fatalf("%s %s → %d is documented in openapi.yaml: check it with do", req.Method, req.URL.Path, res.StatusCode)
	}
	if _, _, err := c.rt.FindRoute(req); err != nil && !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	if res.StatusCode < 400 {
		t.Fatalf("%s %s → %d: undocumented success", req.Method, req.URL.Path, res.StatusCode)
	}
	if req.Method != http.MethodHead {
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%s %s → %d: body is not JSON: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, body)
		}
		if err := c.doc.Components.Schemas["Problem"].Value.VisitJSON(v); err != nil {
			t.Fatalf("%s %s → %d: body does not match #/components/schemas/Problem: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, body)
		}
	}
	checkProtocol(t, req, res)
}

// checkProtocol checks the headers design.md §4 asks of every API response.
func checkProtocol(t testing.TB, req *http.Request, res *http.Response) {
	t.Helper()
	h := res.Header
	want := map[string]string{
		"API-Version":            api.Version,
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s %s → %d: header %s = %q, want %q", req.Method, req.URL.RequestURI(), res.StatusCode, k, got, v)
		}
	}
	if hsts := h.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("%s %s: Strict-Transport-Security = %q", req.Method, req.URL.RequestURI(), hsts)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s %s: Content-Security-Policy = %q, want frame-ancestors 'none'", req.Method, req.URL.RequestURI(), csp)
	}
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		t.Errorf("%s %s → %d: the API never redirects (Location %q)", req.Method, req.URL.RequestURI(), res.StatusCode, h.Get("Location"))
	}
	if res.StatusCode >= 400 && req.Method != http.MethodHead {
		if ct := h.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s %s → %d: Content-Type %q, want application/problem+json", req.Method, req.URL.RequestURI(), res.StatusCode, ct)
		}
	}
}

// token gets a demo bearer token for persona.
func (c *client) token(persona string) string {
	c.t.Helper()
	res, body := c.do(newRequest(http.MethodPost, "/v2/demo-tokens", `{"persona":"`+persona+`"}`))
	if res.StatusCode != http.StatusCreated {
		c.t.Fatalf("demo token for %s: %d %s", persona, res.StatusCode, body)
	}
	var tok api.DemoToken
	mustJSON(c.t, body, &tok)
	return tok.AccessToken
}

// get does an authenticated, checked GET and requires status.
func (c *client) get(token, target string, status int, opts ...opt) (*http.Response, string) {
	c.t.Helper()
	res, body := c.do(newRequest(http.MethodGet, target, "", append([]opt{bearer(token)}, opts...)...))
	if res.StatusCode != status {
		c.t.Fatalf("GET %s: status %d, want %d: %s", target, res.StatusCode, status, body)
	}
	return res, body
}

func mustJSON(t testing.TB, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, body)
	}
}

// problem is an RFC 9457 problem as the API writes it.
type problem struct {
	Type          string `json:"type"`
	Title         string `json:"title"`
	Status        int    `json:"status"`
	Detail        string `json:"detail"`
	Instance      string `json:"instance"`
	InvalidParams []struct {
		Name   string `json:"name"`
		Code   string `json:"code"`
		Reason string `json:"reason"`
	} `json:"invalidParams"`
}

// mustProblem decodes a problem body and checks the members every problem has.
func mustProblem(t testing.TB, res *http.Response, body string, status int) problem {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
	}
	var p problem
	mustJSON(t, body, &p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Errorf("incomplete problem (want status %d, type, title, detail): %s", status, body)
	}
	if strings.HasPrefix(p.Title, "[") || strings.HasPrefix(p.Detail, "[") {
		t.Errorf("untranslated problem text: %s", body)
	}
	for _, ip := range p.InvalidParams {
		if ip.Name == "" || ip.Code == "" || ip.Reason == "" || strings.HasPrefix(ip.Reason, "[") {
			t.Errorf("incomplete or untranslated invalid param %+v in %s", ip, body)
		}
	}
	return p
}

// violations lists a problem's invalidParams as "name:code".
func (p problem) violations() []string {
	out := []string{}
	for _, ip := range p.InvalidParams {
		out = append(out, ip.Name+":"+ip.Code)
	}
	return out
}

// jsonEqual compares two JSON documents by value, treating a null member like an absent one
// (both are what openapi.yaml allows for the nullable, non-required members).
func jsonEqual(t testing.TB, what, got, want string) {
	t.Helper()
	var g, w any
	mustJSON(t, got, &g)
	mustJSON(t, want, &w)
	g, w = dropNulls(g), dropNulls(w)
	if !reflect.DeepEqual(g, w) {
		gb, _ := json.MarshalIndent(g, "", "  ")
		wb, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("%s:\n got %s\nwant %s", what, gb, wb)
	}
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		for i := range x {
			x[i] = dropNulls(x[i])
		}
	}
	return v
}
