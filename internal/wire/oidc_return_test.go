package wire_test

import (
	"net/http"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

// TestOIDCLoginReturnsToThePage: a DigiD login started from the login page an expired session
// led to (?terug=…) returns to that page, carried in the sealed flow cookie; a return path
// outside the inburgeraar's pages is ignored.
func TestOIDCLoginReturnsToThePage(t *testing.T) {
	for _, tc := range []struct{ start, want string }{
		{"/nl/inloggen/digid?terug=%2Fmijn%2Flening", "/nl/mijn/lening"},
		{"/en/inloggen/digid?terug=%2F%2Fevil.example", "/en/mijn"},
		{"/nl/inloggen/digid?terug=%2Fmedewerker", "/nl/mijn"},
	} {
		e := newOIDCEnv(t)
		b := testenv.NewBrowser(t, e.a.Echo)
		res := e.login(t, b, tc.start, citizen(yusufBSN))
		expectStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != tc.want {
			t.Errorf("%s: after login Location %q, want %q", tc.start, loc, tc.want)
		}
	}
}
