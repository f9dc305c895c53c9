package portal

import (
	"bytes"
	"compress/flate"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/auth"
)

// FuzzOpenKept: the kept-form cookie comes back from the browser, so any value may arrive. It
// opens only when sealed by this key, unexpired and small; anything else is refused, never a panic,
// and a value that opens holds what was sealed.
func FuzzOpenKept(f *testing.F) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	p := &Portal{KeptSealer: auth.NewSealerFor([]byte(strings.Repeat("k", 32)), auth.PurposeKeptForm), Now: func() time.Time { return now }}
	good, err := p.sealKept(keptForm{Action: "/mijn/facturen/1/reden", Page: "/mijn/facturen/1/reden", Kind: auth.KindInburgeraar,
		Fields: url.Values{"reden": {"tekst"}}, Expires: now.Add(time.Minute).Unix()})
	if err != nil {
		f.Fatal(err)
	}
	// A sealed value that inflates to far more than it holds (a deflate bomb) is cut off, not read.
	var bomb bytes.Buffer
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	_, _ = w.Write(bytes.Repeat([]byte("a"), 1<<20))
	_ = w.Close()
	sealedBomb, err := p.KeptSealer.SealBytes(bomb.Bytes())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, sealedBomb, "", "x", strings.Repeat("A", 43), good[:len(good)-1], good + "A", strings.Repeat("a", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := p.openKept(s)
		if !ok {
			if k.Action != "" || k.Fields != nil {
				t.Errorf("refused value left data: %+v", k)
			}
			return
		}
		// Only the seeded value is sealed under this key (each fuzz worker seals its own copy).
		if k.Action != "/mijn/facturen/1/reden" || k.Fields.Get("reden") != "tekst" || len(k.Fields) != 1 {
			t.Errorf("opened %+v", k)
		}
	})
}
