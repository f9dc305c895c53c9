package portal_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestHeadWhereverGet: the portal's pages and static files answer HEAD as they answer GET,
// without a body; HEAD never writes (it runs as the GET, which never writes either).
func TestHeadWhereverGet(t *testing.T) {
	h := newHarness(t)
	b := h.login("nl", "yusuf")
	for _, path := range []string{"/nl", "/nl/toegankelijkheid", "/nl/mijn", "/nl/mijn/lening", "/nl/bestaat-niet", "/"} {
		get := do(t, b, httptest.NewRequest(http.MethodGet, path, nil))
		head := do(t, b, httptest.NewRequest(http.MethodHead, path, nil))
		if head.Status != get.Status || head.Body != "" || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q with %d bytes; GET: %d %q", path, head.Status, head.Header.Get("Content-Type"), len(head.Body), get.Status, get.Header.Get("Content-Type"))
		}
	}
	// A POST-only route answers HEAD as it answers GET: not with the POST.
	get := do(t, b, httptest.NewRequest(http.MethodGet, "/nl/uitloggen", nil))
	if p := do(t, b, httptest.NewRequest(http.MethodHead, "/nl/uitloggen", nil)); p.Status != get.Status || p.Status < 400 {
		t.Errorf("HEAD /nl/uitloggen: %d, GET: %d", p.Status, get.Status)
	}
}
