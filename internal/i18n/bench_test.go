package i18n_test

import (
	"testing"

	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// BenchmarkMessageLookup: a plain message, one with a parameter, and a plural form.
func BenchmarkMessageLookup(b *testing.B) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		b.Fatal(err)
	}
	for _, code := range []string{"nl", "ar"} {
		l, _ := bundle.Lookup(code)
		b.Run(code+"/plain", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = l.T("home.heading")
			}
		})
		b.Run(code+"/plural", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = l.T("session.note", map[string]any{"Minutes": l.Number(15)})
			}
		})
		b.Run(code+"/money", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = l.Money(1_234_567)
			}
		})
	}
}
