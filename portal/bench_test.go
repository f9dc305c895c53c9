package portal_test

import (
	"net/http"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/portal"
)

// BenchmarkOverviewPage measures one "Mijn overzicht" request through the whole stack: router,
// session lookup, the overview use case on the test database, and rendering.
func BenchmarkOverviewPage(b *testing.B) {
	portal.VerifyPretranslated = false
	a := testenv.New(b, testenv.Options{})
	br := testenv.NewBrowser(b, a.Echo)
	br.LoginPersona("ar", "yusuf")
	b.ReportAllocs()
	for b.Loop() {
		res := br.Get("/ar/mijn")
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkHomePage is the public page as a baseline: no session, no database.
func BenchmarkHomePage(b *testing.B) {
	portal.VerifyPretranslated = false
	a := testenv.New(b, testenv.Options{})
	br := testenv.NewBrowser(b, a.Echo)
	b.ReportAllocs()
	for b.Loop() {
		if res := br.Get("/nl"); res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkBareHandler is the yardstick: a bare net/http handler returning a fixed small page,
// through the same test browser. Read the page benchmarks as ratios to it.
func BenchmarkBareHandler(b *testing.B) {
	page := []byte("<!DOCTYPE html><html lang=\"nl\"><title>ok</title><p>ok</p></html>")
	br := testenv.NewBrowser(b, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	}))
	b.ReportAllocs()
	for b.Loop() {
		if res := br.Get("/nl"); res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkPages renders each page type through the whole stack (router, session, use case on
// the test database, template), one sub-benchmark per page.
func BenchmarkPages(b *testing.B) {
	portal.VerifyPretranslated = false
	a := testenv.New(b, testenv.Options{})
	anon := testenv.NewBrowser(b, a.Echo)
	user := testenv.NewBrowser(b, a.Echo)
	user.LoginPersona("nl", "amal")
	for _, pg := range []struct {
		name, path string
		br         *testenv.Browser
	}{
		{"home", "/nl", anon},
		{"login", "/nl/inloggen", anon},
		{"accessibility", "/nl/toegankelijkheid", anon},
		{"prearrival", "/nl/naar-nederland", anon},
		{"prearrival-costs", "/nl/naar-nederland/kosten", anon},
		{"overview", "/nl/mijn", user},
		{"term", "/nl/mijn/termijn", user},
		{"loan", "/nl/mijn/lening", user},
		{"pip", "/nl/mijn/pip", user},
		{"messages", "/nl/mijn/berichten", user},
		{"invoices", "/nl/mijn/facturen", user},
		{"appointments", "/nl/mijn/afspraken", user},
		{"booking-type", "/nl/mijn/afspraken/nieuw", user},
		{"medical", "/nl/mijn/medisch", user},
	} {
		b.Run(pg.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res := pg.br.Get(pg.path); res.StatusCode != http.StatusOK {
					b.Fatalf("%s: status %d", pg.path, res.StatusCode)
				}
			}
		})
	}
}
