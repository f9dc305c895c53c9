package portal_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The home page of a visitor without a session is rendered and compressed once per language:
// every request gets the same page, gzip'ed or not, and a logged-in visitor still gets their own.
func TestHomePageCachedPerLanguage(t *testing.T) {
	h := newHarness(t)
	for _, lang := range []string{"nl", "ar"} {
		b := h.browser()
		first := get(t, b, "/"+lang)
		wantStatus(t, first, http.StatusOK)
		h.checkPage(t, first, lang)
		second := get(t, h.browser(), "/"+lang)
		if first.Body != second.Body {
			t.Errorf("%s: the second home page differs from the first", lang)
		}
		req := httptest.NewRequest(http.MethodGet, "/"+lang, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := h.browser().Do(req)
		if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Language") != lang {
			t.Fatalf("%s: Content-Encoding %q, Content-Language %q", lang, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Language"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		res.Body.Close()
		if err != nil || string(plain) != first.Body {
			t.Errorf("%s: the gzip'ed home page is not the page (%v)", lang, err)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", lang, cc)
		}
	}
	// Logged out, and logged in: rendered per request, with the notice or the name.
	b := h.login("nl", "amal")
	in := get(t, b, "/nl")
	if in.Body == get(t, h.browser(), "/nl").Body {
		t.Error("a logged-in visitor got the page of a visitor without a session")
	}
	out := get(t, h.browser(), "/nl?uitgelogd=1")
	wantText(t, "home after logout", out.main(t), h.msg("nl", "home.logged_out"))
}
