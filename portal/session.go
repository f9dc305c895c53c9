package portal

import (
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/server"
)

// Session timeout (WCAG 2.2.1). Every logged-in page says how long a session lasts without
// activity and carries the seconds left (data-session-left, from the session as loaded: no
// write). app.js warns two minutes before the end with a "stay logged in" button that POSTs to
// /sessie/verlengen; without JavaScript that same form is never shown, and the page's note
// says what happens. A login that follows an expired session returns to the page the reader was
// on (the "terug" path, carried through the login form or the sealed OIDC flow cookie).

// returnPath matches a page a login may return to: a path below /mijn or /medewerker, without
// the language prefix, query or fragment. Anything else (another host, "//", a backslash) is
// refused, so the parameter can never redirect elsewhere.
var returnPath = regexp.MustCompile(`^/(mijn|medewerker)(/[A-Za-z0-9_-]+)*$`)

// safeReturn returns r when a session of kind may return to it, else "".
func safeReturn(r string, kind auth.Kind) string {
	if !returnPath.MatchString(r) {
		return ""
	}
	if (kind == auth.KindStaff) != strings.HasPrefix(r, "/medewerker") {
		return ""
	}
	return r
}

// returnTo is the page a login should return to after this request found no valid session: the
// page itself for a GET; for a POST, the page of the form (its own path when a GET serves it,
// else its parent, e.g. /mijn/berichten/7 for /mijn/berichten/7/gelezen), or the "terug" field.
func returnTo(c echo.Context) string {
	rest := strings.TrimPrefix(c.Request().URL.Path, "/"+server.Localizer(c).Code())
	if c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead {
		return rest
	}
	if t := c.Request().PostFormValue("terug"); returnPath.MatchString(t) {
		return t
	}
	if servesGET(c.Echo(), "/"+server.Localizer(c).Code()+rest) {
		return rest
	}
	return path.Dir(rest)
}

// servesGET reports whether a GET route matches p (":param" matches one segment).
func servesGET(e *echo.Echo, p string) bool {
	segs := strings.Split(p, "/")
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		rs := strings.Split(r.Path, "/")
		if len(rs) != len(segs) {
			continue
		}
		ok := true
		for i := range rs {
			if !strings.HasPrefix(rs[i], ":") && rs[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// loginURL is the login page that returns to rest after logging in.
func loginURL(c echo.Context, expired bool, rest string) string {
	q := url.Values{}
	if expired {
		q.Set("verlopen", "1")
	}
	if returnPath.MatchString(rest) {
		q.Set("terug", rest)
	}
	u := link(c, "/inloggen")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// extendSession is the "stay logged in" button: it restarts the idle timer now. app.js posts it
// with Accept: application/json and gets the seconds left; a plain form post returns to the page.
func (p *Portal) extendSession(c echo.Context) error {
	s := session(c)
	id, _ := c.Get(ctxSessID).(string)
	if s == nil || id == "" {
		return p.toLogin(c)
	}
	ext, err := p.Sessions.Extend(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) {
		return c.JSON(http.StatusOK, map[string]int{"seconds": int(ext.Left(p.Now()).Seconds())})
	}
	back := safeReturn(c.FormValue("terug"), s.Kind)
	if back == "" {
		back = "/mijn"
		if s.Kind == auth.KindStaff {
			back = "/medewerker"
		}
	}
	return c.Redirect(http.StatusSeeOther, link(c, back))
}
