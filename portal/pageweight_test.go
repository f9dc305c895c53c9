package portal_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

// Page-weight budget of issue 12: what a phone downloads, compressed as the server sends it.
const (
	firstVisitBudget  = 50 << 10 // HTML, CSS, JS and icon
	repeatVisitBudget = 15 << 10 // the HTML only: static files have content-hashed, immutable URLs
)

var assetRef = regexp.MustCompile(`<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"`)

// TestPageWeight reports, per page type, the compressed bytes of HTML, CSS and JS on a first
// visit (empty cache) and on a repeat visit (static files cached: their URLs carry a content hash
// and are immutable), and fails over the budget. Run with -v to see the table:
//
//	go test ./portal/ -run TestPageWeight -v
func TestPageWeight(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	user := h.login("nl", "amal")
	pages := []struct {
		kind, path string
		b          *testenv.Browser
	}{
		{"home page", "/nl", anon},
		{"login", "/nl/inloggen", anon},
		{"pre-arrival page", "/nl/naar-nederland", anon},
		{"pre-arrival costs (Arabic)", "/ar/naar-nederland/kosten", anon},
		{"overview", "/nl/mijn", user},
		{"loan", "/nl/mijn/lening", user},
		{"invoices", "/nl/mijn/facturen", user},
		{"booking step (type)", "/nl/mijn/afspraken/nieuw", user},
		{"messages", "/nl/mijn/berichten", user},
		{"medical requests", "/nl/mijn/medisch", user},
	}
	fetch := func(b *testenv.Browser, path string) (status, size int, body string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		res := b.Do(req)
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Header.Get("Content-Encoding") != "gzip" && len(raw) >= 1024 {
			t.Errorf("%s: %d bytes sent uncompressed", path, len(raw))
		}
		if res.Header.Get("Content-Encoding") == "gzip" {
			return res.StatusCode, len(raw), decompress(t, raw)
		}
		return res.StatusCode, len(raw), string(raw)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "\n| page type | path | HTML | CSS | JS | other | first visit | repeat visit |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, pg := range pages {
		status, html, body := fetch(pg.b, pg.path)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", pg.path, status)
			continue
		}
		var css, js, other int
		for _, m := range assetRef.FindAllStringSubmatch(body, -1) {
			st, n, _ := fetch(pg.b, m[1])
			if st != http.StatusOK {
				t.Errorf("%s: %s → %d", pg.path, m[1], st)
			}
			switch {
			case strings.HasSuffix(m[1], ".css"):
				css += n
			case strings.HasSuffix(m[1], ".js"):
				js += n
			default:
				other += n
			}
		}
		first, repeat := html+css+js+other, html
		fmt.Fprintf(&report, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", pg.kind, pg.path, kb(html), kb(css), kb(js), kb(other), kb(first), kb(repeat))
		if first > firstVisitBudget {
			t.Errorf("%s: %s on a first visit, budget %s", pg.path, kb(first), kb(firstVisitBudget))
		}
		if repeat > repeatVisitBudget {
			t.Errorf("%s: %s on a repeat visit, budget %s", pg.path, kb(repeat), kb(repeatVisitBudget))
		}
	}
	t.Log(report.String())
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func decompress(t testing.TB, raw []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
