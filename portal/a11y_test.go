package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestNoIdleTabStopsAndNoMachineTranslation: a table region is never a tab stop in the markup
// (app.js adds tabindex=0 only while it overflows), and what a browser translator must leave
// alone carries translate="no": the reader's name, amounts, dates, references and the Dutch
// legal terms.
func TestNoIdleTabStopsAndNoMachineTranslation(t *testing.T) {
	h := newHarness(t)
	b := h.login("en", "yusuf")
	for _, path := range []string{"/en/mijn", "/en/mijn/lening", "/en/mijn/termijn", "/en/mijn/pip"} {
		p := get(t, b, path)
		wantStatus(t, p, http.StatusOK)
		walk(p.Doc, func(n *html.Node) {
			if n.Type == html.ElementNode && attrOr(n, "tabindex") == "0" {
				t.Errorf("%s: <%s class=%q> has tabindex=0", path, n.Data, attrOr(n, "class"))
			}
		})
		if s := query(t, p.Doc, `head script[src^="/static/app."]`); s == nil || !hasAttr(s, "defer") {
			t.Errorf("%s: app.js is not linked with defer", path)
		}
		if who := query(t, p.Doc, ".who bdi"); who == nil || attrOr(who, "translate") != "no" {
			t.Errorf("%s: the reader's name may be machine-translated", path)
		}
		for _, lt := range queryAll(t, p.Doc, ".legal-term") {
			if attrOr(lt, "translate") != "no" {
				t.Errorf("%s: legal term %q may be machine-translated", path, text(lt))
			}
		}
	}
	p := get(t, b, "/en/mijn/lening")
	dds := queryAll(t, p.Doc, "dl.summary-list dd bdi")
	if len(dds) == 0 {
		t.Fatal("/en/mijn/lening: no amounts found")
	}
	for _, n := range dds {
		if attrOr(n, "translate") != "no" {
			t.Errorf("/en/mijn/lening: amount %q may be machine-translated", text(n))
		}
	}
	if lt := queryAll(t, p.Doc, ".legal-term"); len(lt) == 0 || !strings.Contains(text(lt[0]), "lening") {
		t.Errorf("/en/mijn/lening: no Dutch legal term shown")
	}
}

func hasAttr(n *html.Node, name string) bool {
	_, ok := attr(n, name)
	return ok
}
