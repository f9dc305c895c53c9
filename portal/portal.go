package portal

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
)

// Cookie names.
const (
	SessionCookie = "sessie"
	LangCookie    = "taal"
	FlowCookie    = "inlogstroom"
	CSRFCookie    = "csrf"
)

// Portal is the HTML face.
type Portal struct {
	Service  *app.Service
	Sessions *auth.Sessions
	OIDC     *auth.OIDC // nil when no provider is configured
	Sealer   *auth.Sealer
	Bundle   *i18n.Bundle
	Render   *Renderer
	Demo     bool
	BaseURL  string
	Now      func() time.Time
}

const (
	ctxSession = "portal.session"
	ctxSessID  = "portal.session_id"
)

// Register adds the portal's routes to e.
func (p *Portal) Register(e *echo.Echo) {
	e.GET("/static/:file", p.Render.serveStatic)
	e.GET("/", p.root)
	e.GET("/auth/callback", p.callback, p.withLanguageFromCookie)

	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:_csrf", CookieName: CSRFCookie, CookiePath: "/", CookieHTTPOnly: true, CookieSecure: true,
		CookieSameSite: http.SameSiteLaxMode, ContextKey: "csrf",
	})
	p.registerNaarNederland(e) // public, without the CSRF and session middleware (naarnederland.go)
	g := e.Group("/:lang", p.withLanguage, csrf, p.withSession)
	g.GET("", p.home)
	g.GET("/toegankelijkheid", p.accessibility)
	g.GET("/inloggen", p.loginPage)
	g.POST("/inloggen/demo", p.demoLogin)
	g.GET("/inloggen/digid", p.oidcStart(false))
	g.GET("/medewerker/inloggen", p.oidcStart(true))
	g.POST("/uitloggen", p.logout)

	mine := g.Group("/mijn", p.requireInburgeraar)
	mine.GET("", p.overview)
	mine.GET("/termijn", p.term)
	mine.GET("/lening", p.loan)
	mine.GET("/pip", p.pip)
	mine.GET("/berichten", p.inbox)
	mine.GET("/berichten/:id", p.message)
	mine.POST("/berichten/:id/ongelezen", p.markUnread)

	staff := g.Group("/medewerker", p.requireStaff)
	staff.GET("", p.staffHome)
	staff.POST("/opzoeken", p.staffLookup)
}

// root sends "/" to the logged-in inburgeraar's own language (their profile), else the language
// of the cookie, else of Accept-Language, else Dutch.
func (p *Portal) root(c echo.Context) error {
	code := p.profileLanguage(c)
	if ck, err := c.Cookie(LangCookie); err == nil && code == "" {
		if _, ok := p.Bundle.Lookup(ck.Value); ok {
			code = ck.Value
		}
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
	i, err := p.Service.Repo.Inburgeraar(c.Request().Context(), s.InburgeraarID)
	if err != nil {
		return ""
	}
	if _, ok := p.Bundle.Lookup(i.PreferredLanguage); !ok {
		return ""
	}
	return i.PreferredLanguage
}

// withLanguage takes the language from the URL; an unknown one is a 404 (in Dutch).
// The choice is remembered in a cookie and, for a logged-in inburgeraar, in the profile.
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
			c.SetCookie(&http.Cookie{Name: LangCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
			c.Set("portal.lang_changed", true)
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
		if changed, _ := c.Get("portal.lang_changed").(bool); changed && s.Kind == auth.KindInburgeraar {
			if err := p.Service.SetLanguage(c.Request().Context(), s.InburgeraarID, server.Localizer(c).Code()); err != nil {
				return err
			}
		}
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
	q := ""
	if expired, _ := c.Get("portal.session_expired").(bool); expired {
		q = "?verlopen=1"
	}
	return c.Redirect(http.StatusSeeOther, "/"+server.Localizer(c).Code()+"/inloggen"+q)
}

func (p *Portal) setSessionCookie(c echo.Context, id string) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

func (p *Portal) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

// view builds the common view for a page.
func (p *Portal) view(c echo.Context, titleID string, data any) *View {
	l := server.Localizer(c)
	v := &View{L: l, Languages: p.Bundle.Languages(), Demo: p.Demo, BaseURL: p.BaseURL, TitleID: titleID, Data: data}
	v.Path = strings.TrimPrefix(c.Request().URL.Path, "/"+l.Code())
	if tok, ok := c.Get("csrf").(string); ok {
		v.CSRF = tok
	}
	if s := session(c); s != nil {
		v.User = &User{Staff: s.Kind == auth.KindStaff, Name: s.Staff}
		if s.Kind == auth.KindInburgeraar {
			if i, err := p.Service.Repo.Inburgeraar(c.Request().Context(), s.InburgeraarID); err == nil {
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
	v.Path = "" // the switcher leads to the home page in another language
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
