package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
)

// Cookie names. The CSRF cookie is CSRFCookieHost when the portal is served over https.
const (
	SessionCookie  = "sessie"
	LangCookie     = "taal"
	FlowCookie     = "inlogstroom"
	CSRFCookie     = "csrf"
	CSRFCookieHost = "__Host-csrf"
)

// Portal is the HTML face.
type Portal struct {
	Service  *app.Service
	Medical  *app.Medical
	Sessions *auth.Sessions
	OIDC     *auth.OIDC // nil when no provider is configured
	Sealer   *auth.Sealer
	// KeptSealer seals a form posted after the session ended (kept.go); nil keeps nothing.
	KeptSealer *auth.Sealer
	Bundle     *i18n.Bundle
	Render     *Renderer
	Demo       bool
	BaseURL    string
	Now        func() time.Time
	// CSRFKey binds the CSRF token of a logged-in browser to its session (an HMAC of the session ID).
	CSRFKey []byte

	homePages sync.Map // language code → *cachedPage: the home page of a visitor without a session
}

const (
	ctxSession = "portal.session"
	ctxSessID  = "portal.session_id"
	ctxCSRF    = "csrf"
)

// Register adds the portal's routes to e.
func (p *Portal) Register(e *echo.Echo) {
	e.GET("/static/:file", p.Render.serveStatic)
	e.GET("/", p.root)
	e.GET("/auth/callback", p.callback, p.withLanguageFromCookie)

	p.registerNaarNederland(e) // public, without the CSRF and session middleware (naarnederland.go)
	g := e.Group("/:lang", p.withLanguage, server.FormText, p.bindCSRF, p.csrf(), p.withSession)
	g.GET("", p.home)
	g.GET("/toegankelijkheid", p.accessibility)
	g.GET("/inloggen", p.loginPage)
	g.POST("/inloggen/demo", p.demoLogin)
	g.GET("/inloggen/digid", p.oidcStart(false))
	g.GET("/medewerker/inloggen", p.oidcStart(true))
	g.POST("/uitloggen", p.logout)
	g.POST("/sessie/verlengen", p.extendSession)

	mine := g.Group("/mijn", p.requireInburgeraar)
	mine.GET("", p.overview)
	mine.POST("/taal", p.makeLanguage)
	mine.GET("/termijn", p.term)
	mine.GET("/lening", p.loan)
	mine.GET("/pip", p.pip)
	mine.GET("/berichten", p.inbox)
	mine.GET("/berichten/:id", p.message)
	mine.POST("/berichten/:id/gelezen", p.markRead)
	mine.POST("/berichten/:id/ongelezen", p.markUnread)
	p.registerInvoices(mine)
	p.registerAppointments(mine)
	p.registerEmail(mine)
	p.registerHours(mine)

	staff := g.Group("/medewerker", p.requireStaff)
	staff.GET("", p.staffHome)
	staff.POST("/opzoeken", p.staffLookup)
	p.registerSchools(staff)
	p.registerStaffAppointments(staff)
	p.registerStaffAppointmentConfig(staff)

	p.registerMedical(mine, staff)
	p.registerEvidence(e, mine, staff) // evidence.go
}

// root sends "/" to the language last chosen in this browser (the cookie), else the logged-in
// inburgeraar's own language (their profile, chosen on another device), else of Accept-Language,
// else Dutch.
func (p *Portal) root(c echo.Context) error {
	code := ""
	if ck, err := c.Cookie(LangCookie); err == nil {
		if _, ok := p.Bundle.Lookup(ck.Value); ok {
			code = ck.Value
		}
	}
	if code == "" {
		code = p.profileLanguage(c)
	}
	if code == "" {
		code = p.Bundle.Negotiate(c.Request().Header.Get("Accept-Language")).Code()
	}
	c.Response().Header().Set("Vary", "Accept-Language, Cookie")
	return c.Redirect(http.StatusSeeOther, "/"+code)
}

// profileLanguage is the preferred language in the profile of the inburgeraar whose session
// cookie this is, or "" (no session, staff, or a language the site does not offer).
func (p *Portal) profileLanguage(c echo.Context) string {
	ck, err := c.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	s, err := p.Sessions.Load(c.Request().Context(), ck.Value)
	if err != nil || s.Kind != auth.KindInburgeraar {
		return ""
	}
	i, err := p.Service.Profile(c.Request().Context(), s.InburgeraarID)
	if err != nil {
		return ""
	}
	if _, ok := p.Bundle.Lookup(i.PreferredLanguage); !ok {
		return ""
	}
	return i.PreferredLanguage
}

// withLanguage takes the language from the URL; an unknown one is a 404 (in Dutch).
// The choice is remembered in a cookie; the profile changes only by an explicit form (makeLanguage),
// because a GET never changes state: a link to /ar/… on another site must not rewrite the profile.
func (p *Portal) withLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		code := c.Param("lang")
		l, ok := p.Bundle.Lookup(code)
		if !ok {
			nl, _ := p.Bundle.Lookup("nl")
			server.SetLocalizer(c, nl)
			return echo.ErrNotFound
		}
		server.SetLocalizer(c, l)
		if ck, err := c.Cookie(LangCookie); err != nil || ck.Value != code {
			c.SetCookie(p.cookie(LangCookie, code, "/", 365*24*3600))
		}
		return next(c)
	}
}

func (p *Portal) withLanguageFromCookie(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		l, _ := p.Bundle.Lookup("nl")
		if ck, err := c.Cookie(LangCookie); err == nil {
			if x, ok := p.Bundle.Lookup(ck.Value); ok {
				l = x
			}
		}
		server.SetLocalizer(c, l)
		return next(c)
	}
}

// withSession loads the session, if any. A tampered or expired cookie is dropped silently here;
// pages that need a login send the reader to the login page with an explanation.
func (p *Portal) withSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(SessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		s, err := p.Sessions.Load(c.Request().Context(), ck.Value)
		if err != nil {
			if domain.ErrorKind(err) != domain.KindUnauthorized {
				return err
			}
			p.clearSessionCookie(c)
			c.Set("portal.session_expired", true)
			return next(c)
		}
		c.Set(ctxSession, &s)
		c.Set(ctxSessID, ck.Value)
		return next(c)
	}
}

func session(c echo.Context) *auth.Session {
	s, _ := c.Get(ctxSession).(*auth.Session)
	return s
}

func (p *Portal) requireInburgeraar(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s := session(c); s == nil || s.Kind != auth.KindInburgeraar {
			return p.toLogin(c)
		}
		return next(c)
	}
}

func (p *Portal) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := session(c)
		if s == nil {
			return p.toLogin(c)
		}
		if s.Kind != auth.KindStaff || s.Role != auth.RoleStaff {
			return domain.Errorf(domain.KindForbidden, "error.forbidden")
		}
		return next(c)
	}
}

func (p *Portal) toLogin(c echo.Context) error {
	expired, _ := c.Get("portal.session_expired").(bool)
	back := returnTo(c)
	if expired {
		p.keepForm(c, back)
	}
	return c.Redirect(http.StatusSeeOther, loginURL(c, expired, back))
}

func (p *Portal) setSessionCookie(c echo.Context, id string) {
	c.SetCookie(p.cookie(SessionCookie, id, "/", 0))
}

func (p *Portal) clearSessionCookie(c echo.Context) {
	c.SetCookie(p.cookie(SessionCookie, "", "/", -1))
}

// secure reports whether the portal is served over https (BASE_URL). Its cookies are Secure only
// then: a browser never sends a Secure cookie back over plain http, so a demo on a LAN address
// over http could not log in.
func (p *Portal) secure() bool { return strings.HasPrefix(p.BaseURL, "https://") }

// cookie is every cookie the portal sets: HttpOnly, SameSite=Lax, Secure when served over https.
// maxAge 0 makes a session cookie, -1 deletes it.
func (p *Portal) cookie(name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true, Secure: p.secure(), SameSite: http.SameSiteLaxMode}
}

// csrfCookieName is the CSRF cookie's name: over https it has the __Host- prefix, so a browser
// accepts it only from this host over https, without Domain and for path / (a sibling subdomain or
// a plain-http response cannot plant it). Browsers refuse that prefix without Secure, so over http
// the name is plain.
func (p *Portal) csrfCookieName() string {
	if p.secure() {
		return CSRFCookieHost
	}
	return CSRFCookie
}

// csrf is Echo's CSRF middleware. A browser that sends Sec-Fetch-Site: same-origin (or none) is let
// through on that header; a cross-site POST is refused; a same-site one (a sibling subdomain) and a
// browser without the header need the form token, compared with the CSRF cookie (which bindCSRF
// replaces by the session's own token when logged in). Every refusal is the translated error.csrf.
func (p *Portal) csrf() echo.MiddlewareFunc {
	refuse := func(err error) error {
		return &domain.Error{Kind: domain.KindForbidden, MessageID: "error.csrf", Err: err}
	}
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:_csrf", CookieName: p.csrfCookieName(), CookiePath: "/", CookieHTTPOnly: true, CookieSecure: p.secure(),
		CookieSameSite: http.SameSiteLaxMode, ContextKey: ctxCSRF,
		ErrorHandler: func(err error, c echo.Context) error { return refuse(err) },
		AllowSecFetchSiteFunc: func(c echo.Context) (bool, error) {
			if c.Request().Header.Get(echo.HeaderSecFetchSite) == "same-site" {
				return false, nil // the token decides
			}
			return false, refuse(nil)
		},
	})
}

// bindCSRF binds the CSRF token of a browser with a session cookie to that session: whatever CSRF
// cookie it sends is replaced, before Echo's middleware compares it with the form, by an HMAC of
// the session ID. A CSRF cookie planted by someone else is thus never accepted, and logging in
// (a new session ID) rotates the token. Without a session (the login forms) the cookie stands.
func (p *Portal) bindCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(SessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		req := c.Request()
		name := p.csrfCookieName()
		cookies := req.Cookies()
		req.Header.Del("Cookie")
		for _, x := range cookies {
			if x.Name != name {
				req.AddCookie(x)
			}
		}
		req.AddCookie(&http.Cookie{Name: name, Value: p.sessionCSRF(ck.Value)})
		return next(c)
	}
}

// sessionCSRF is the CSRF token of session id.
func (p *Portal) sessionCSRF(id string) string {
	m := hmac.New(sha256.New, p.CSRFKey)
	m.Write([]byte("csrf\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// formToken is the token the page's forms carry. When Echo let the request through on
// Sec-Fetch-Site alone it issued none: the forms then carry the cookie's (or a new one), so that a
// later request without that header still passes.
func (p *Portal) formToken(c echo.Context) string {
	tok, _ := c.Get(ctxCSRF).(string)
	if tok != middleware.CSRFUsingSecFetchSite {
		return tok
	}
	if ck, err := c.Cookie(p.csrfCookieName()); err == nil && ck.Value != "" {
		return ck.Value
	}
	tok = auth.NewID()
	c.SetCookie(p.cookie(p.csrfCookieName(), tok, "/", 24*3600))
	return tok
}

// view builds the common view for a page.
func (p *Portal) view(c echo.Context, titleID string, data any) *View {
	l := server.Localizer(c)
	v := &View{L: l, Languages: p.Bundle.Languages(), Demo: p.Demo, BaseURL: p.BaseURL, TitleID: titleID, Data: data,
		Today: p.Service.Today(), Policies: p.Service.Policies}
	v.Path = strings.TrimPrefix(c.Request().URL.Path, "/"+l.Code())
	v.CSRF = p.formToken(c)
	v.kept = p.restoreKept(c)
	if s := session(c); s != nil {
		v.User = &User{Staff: s.Kind == auth.KindStaff, Name: s.Staff,
			SessionLeft: int(s.Left(p.Now()).Seconds()), SessionMinutes: int(auth.IdleTimeout.Minutes())}
		if s.Kind == auth.KindInburgeraar {
			// The overview pages read the person already: do not read it twice.
			if o, ok := data.(app.Overview); ok && o.Person.ID == s.InburgeraarID {
				v.User.Name = o.Person.Name
			} else if i, err := p.Service.Profile(c.Request().Context(), s.InburgeraarID); err == nil {
				v.User.Name = i.Name
			}
		}
	}
	return v
}

// link builds a path in the request's language.
func link(c echo.Context, rest string) string { return "/" + server.Localizer(c).Code() + rest }

// RenderError implements server.PageRenderer: the localized error page.
func (p *Portal) RenderError(c echo.Context, f server.Failure) error {
	if server.Localizer(c) == nil {
		// The language middleware did not run (a 404 or 405 from the router, a 413 from the body
		// limit): the URL's language still wins, then the cookie, then Accept-Language.
		server.SetLocalizer(c, p.fallbackLanguage(c))
	}
	if f.Kind == domain.KindUnauthorized {
		return p.toLogin(c)
	}
	if len(f.Violations) > 0 && f.MessageID == "error.invalid_input" {
		// "Check the fields below" fits a form, not this page, which has none: say what was wrong.
		f.MessageID, f.Params = f.Violations[0].MessageID, f.Violations[0].Params
	}
	v := p.view(c, "error.page_title", f)
	v.Path = ""  // the switcher leads to the home page in another language
	v.kept = nil // an error page has no form to put what was typed back into
	return p.Render.Render(c, f.Status, "error", v)
}

// fallbackLanguage picks the language of a request the language middleware did not see.
func (p *Portal) fallbackLanguage(c echo.Context) *i18n.Localizer {
	first, _, _ := strings.Cut(strings.TrimPrefix(c.Request().URL.Path, "/"), "/")
	if l, ok := p.Bundle.Lookup(first); ok {
		return l
	}
	if ck, err := c.Cookie(LangCookie); err == nil {
		if l, ok := p.Bundle.Lookup(ck.Value); ok {
			return l
		}
	}
	return p.Bundle.Negotiate(c.Request().Header.Get("Accept-Language"))
}
