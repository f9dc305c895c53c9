package portal_test

import (
	"net/http"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

// BenchmarkOverviewPage measures one "Mijn overzicht" request through the whole stack: router,
// session lookup, the overview use case on the test database, and rendering.
func BenchmarkOverviewPage(b *testing.B) {
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
	a := testenv.New(b, testenv.Options{})
	br := testenv.NewBrowser(b, a.Echo)
	b.ReportAllocs()
	for b.Loop() {
		if res := br.Get("/nl"); res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
