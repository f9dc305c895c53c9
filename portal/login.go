package portal

import (
	"cmp"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// StaffPersona is the demo login's DUO staff member.
const StaffPersona = app.DemoStaffPersona

// DemoStaffID is the stable ID the audit log names the demo staff member by.
const DemoStaffID = app.DemoStaffID

type loginData struct {
	Personas []app.Persona
	Expired  bool
	OIDC     bool
	Selected string
	Return   string // the page to return to after logging in (see session.go), or ""
}

func (p *Portal) loginData(c echo.Context) (loginData, error) {
	d := loginData{OIDC: p.OIDC != nil, Expired: c.QueryParam("verlopen") == "1"}
	if r := c.QueryParam("terug"); returnPath.MatchString(r) {
		d.Return = r
	} else if r := c.FormValue("terug"); returnPath.MatchString(r) {
		d.Return = r
	}
	if p.Demo {
		ps, err := p.Service.Personas(c.Request().Context())
		if err != nil {
			return d, err
		}
		d.Personas = ps
	}
	return d, nil
}

func (p *Portal) loginPage(c echo.Context) error {
	d, err := p.loginData(c)
	if err != nil {
		return err
	}
	v := p.view(c, "login.title", d)
	v.Back = link(c, "")
	return p.Render.Render(c, http.StatusOK, "login", v)
}

// demoLogin logs in as a seeded persona. It exists only in demo mode.
func (p *Portal) demoLogin(c echo.Context) error {
	if !p.Demo {
		return echo.ErrNotFound
	}
	key := c.FormValue("persona")
	var s auth.Session
	switch {
	case key == StaffPersona:
		s = auth.Session{Kind: auth.KindStaff, Staff: "Demo-medewerker DUO", StaffID: DemoStaffID, Role: auth.RoleStaff}
	default:
		i, err := p.Service.PersonaLogin(c.Request().Context(), key)
		if err != nil {
			if k := domain.ErrorKind(err); k != domain.KindNotFound && k != domain.KindInvalid {
				return err
			}
			d, derr := p.loginData(c)
			if derr != nil {
				return derr
			}
			d.Selected = key
			v := p.view(c, "login.title", d)
			v.Path = "/inloggen" // the switcher and alternates lead to the form, not to this POST-only URL
			v.Back = link(c, "")
			v.Errors = []FieldError{{Field: "persona-" + firstPersona(d.Personas), Message: v.Text("error.persona_choose")}}
			return p.Render.Render(c, http.StatusBadRequest, "login", v)
		}
		s = auth.Session{Kind: auth.KindInburgeraar, InburgeraarID: i.ID}
	}
	return p.startSession(c, s, c.FormValue("terug"))
}

func firstPersona(ps []app.Persona) string {
	if len(ps) == 0 {
		return StaffPersona
	}
	return ps[0].Key
}

// startSession rotates the session: the old one (if any) ends, a new ID is issued.
// It then returns to back when a session of this kind may go there (session.go), else home.
func (p *Portal) startSession(c echo.Context, s auth.Session, back string) error {
	if old, ok := c.Get(ctxSessID).(string); ok {
		if err := p.Sessions.End(c.Request().Context(), old); err != nil {
			return err
		}
	}
	id, err := p.Sessions.Start(c.Request().Context(), s)
	if err != nil {
		return err
	}
	p.setSessionCookie(c, id)
	if back = safeReturn(back, s.Kind); back != "" {
		return c.Redirect(http.StatusSeeOther, link(c, back))
	}
	if s.Kind == auth.KindStaff {
		return c.Redirect(http.StatusSeeOther, link(c, "/medewerker"))
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn"))
}

// logout ends the session here and, when the login came from a provider that offers
// RP-initiated logout, at the provider too: the browser goes to its end_session_endpoint with
// the ID token (kept sealed in the session) as id_token_hint, and comes back to BASE_URL/.
func (p *Portal) logout(c echo.Context) error {
	if id, ok := c.Get(ctxSessID).(string); ok {
		if err := p.Sessions.End(c.Request().Context(), id); err != nil {
			return err
		}
	}
	p.clearSessionCookie(c)
	p.dropKept(c)
	if s := session(c); s != nil && s.LogoutHint != "" && p.OIDC != nil {
		if u, ok := p.OIDC.EndSessionURL(s.LogoutHint, p.BaseURL+"/", server.Localizer(c).Code()); ok {
			return c.Redirect(http.StatusSeeOther, u)
		}
	}
	return c.Redirect(http.StatusSeeOther, link(c, "?uitgelogd=1"))
}

// oidcStart sends the reader to the OpenID Connect provider (DigiD broker or DUO's staff IdP)
// with state, nonce and a PKCE verifier kept in a sealed, short-lived cookie.
func (p *Portal) oidcStart(staff bool) echo.HandlerFunc {
	kind := auth.KindInburgeraar
	if staff {
		kind = auth.KindStaff
	}
	return func(c echo.Context) error {
		if p.OIDC == nil {
			return echo.ErrNotFound
		}
		f := auth.Flow{State: auth.NewID(), Nonce: auth.NewID(), Verifier: auth.NewID() + auth.NewID()[:20], Staff: staff,
			Lang: server.Localizer(c).Code(), Expires: p.Now().Add(10 * time.Minute).Unix(), Return: safeReturn(c.QueryParam("terug"), kind)}
		sealed, err := p.Sealer.Seal(f)
		if err != nil {
			return err
		}
		c.SetCookie(p.cookie(FlowCookie, sealed, "/auth/callback", 600))
		return c.Redirect(http.StatusSeeOther, p.OIDC.AuthCodeURL(f))
	}
}

// callback completes the OpenID Connect login.
func (p *Portal) callback(c echo.Context) error {
	if p.OIDC == nil {
		return echo.ErrNotFound
	}
	ck, err := c.Cookie(FlowCookie)
	var f auth.Flow
	if err != nil || p.Sealer.Open(ck.Value, &f) != nil || f.Expires < p.Now().Unix() || c.QueryParam("state") != f.State {
		return domain.Errorf(domain.KindInvalid, "error.login_failed")
	}
	c.SetCookie(p.cookie(FlowCookie, "", "/auth/callback", -1))
	if l, ok := p.Bundle.Lookup(f.Lang); ok {
		server.SetLocalizer(c, l)
	}
	if c.QueryParam("error") != "" || c.QueryParam("code") == "" {
		return domain.Errorf(domain.KindInvalid, "error.login_cancelled")
	}
	id, err := p.OIDC.Exchange(c.Request().Context(), c.QueryParam("code"), f)
	if err != nil {
		// Logged for operators (a wrong client secret shows here); never a token or a BSN.
		slog.WarnContext(c.Request().Context(), "oidc login failed", "request_id", server.RequestID(c), "staff", f.Staff, "error", err.Error())
		if domain.ErrorKind(err) == domain.KindUnauthorized {
			return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.login_failed", Err: err}
		}
		return err
	}
	var s auth.Session
	if f.Staff {
		if !id.HasRole(auth.RoleStaff) {
			return domain.Errorf(domain.KindForbidden, "error.forbidden")
		}
		s = auth.Session{Kind: auth.KindStaff, Staff: cmp.Or(id.Name, id.Subject), StaffID: id.Subject, Role: auth.RoleStaff, LogoutHint: id.LogoutHint}
	} else {
		i, err := p.Service.BSNLogin(c.Request().Context(), id.BSN)
		if err != nil {
			if domain.ErrorKind(err) == domain.KindUnauthorized {
				return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.login_failed", Err: err}
			}
			return err
		}
		s = auth.Session{Kind: auth.KindInburgeraar, InburgeraarID: i.ID, LogoutHint: id.LogoutHint}
	}
	// This route runs without withSession: end the browser's previous session here, so that
	// startSession rotates it as it does for the demo login.
	if old, err := c.Cookie(SessionCookie); err == nil && old.Value != "" {
		c.Set(ctxSessID, old.Value)
	}
	return p.startSession(c, s, f.Return)
}
