package wire

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/locales"
	"github.com/inburgering/portal/portal"
)

func randomKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// App is the assembled service.
type App struct {
	Config   Config
	Store    *store.Store
	Service  *app.Service
	Sessions *auth.Sessions
	Bundle   *i18n.Bundle
	Echo     *echo.Echo
	Logger   *slog.Logger
}

// Options override parts of the assembly, for tests.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
}

// Open connects to the database and applies the migrations.
func Open(ctx context.Context, cfg Config) (*store.Store, error) {
	st, err := store.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// Build assembles the service on an open, migrated store.
func Build(ctx context.Context, cfg Config, st *store.Store, o Options) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Mode == ModeDemo && cfg.isPostgres() {
		logger.WarnContext(ctx, DemoOnPostgresWarning)
	}
	key, err := cfg.sessionKey()
	if err != nil {
		return nil, err
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		return nil, err
	}
	svc := app.NewService(st, key)
	svc.Now = o.Now
	sessions := &auth.Sessions{Store: st, Now: o.Now}

	var oidc *auth.OIDC
	formAction := ""
	if cfg.OIDCIssuer != "" {
		oidc, err = auth.NewOIDC(ctx, auth.OIDCConfig{
			Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.BaseURL + "/auth/callback", BSNClaim: cfg.OIDCBSNClaim, RolesClaim: cfg.OIDCRolesClaim,
		})
		if err != nil {
			return nil, err
		}
		if u, err := url.Parse(cfg.OIDCIssuer); err == nil {
			formAction = u.Scheme + "://" + u.Host
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	e, eh := server.New(server.Options{
		Bundle: bundle, Logger: logger, Registry: reg, FormAction: formAction,
		Ready: func(c echo.Context) error { return st.Ready(c.Request().Context()) },
	})

	renderer, err := portal.NewRenderer()
	if err != nil {
		return nil, err
	}
	csrfKey, err := hkdf.Key(sha256.New, key, nil, "inburgering portal csrf", 32)
	if err != nil {
		return nil, err
	}
	p := &portal.Portal{
		Service: svc, Sessions: sessions, OIDC: oidc, Sealer: auth.NewSealer(key), Bundle: bundle,
		Render: renderer, Demo: cfg.Mode == ModeDemo && cfg.DemoLogin, BaseURL: cfg.BaseURL, Now: o.Now,
		CSRFKey: csrfKey,
	}
	eh.Pages = p
	eh.APIVersion = api.Version
	p.Register(e)

	handlers, err := api.NewHandlers(svc, st, bundle, cfg.Mode == ModeDemo && cfg.DemoLogin)
	if err != nil {
		return nil, err
	}
	doc, err := api.Spec()
	if err != nil {
		return nil, err
	}
	gate, err := api.Gate(doc, bundle, api.BearerAuth(st, oidc, svc))
	if err != nil {
		return nil, err
	}
	v1 := e.Group("/v1", gate)
	api.RegisterHandlersWithBaseURL(v1Router{v1}, api.NewStrictHandler(handlers, nil), "")

	return &App{Config: cfg, Store: st, Service: svc, Sessions: sessions, Bundle: bundle, Echo: e, Logger: logger}, nil
}

// v1Router adapts an Echo group to the generated code's router interface.
type v1Router struct{ g *echo.Group }

func (r v1Router) CONNECT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.CONNECT(p, h, m...)
}
func (r v1Router) DELETE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.DELETE(p, h, m...)
}
func (r v1Router) GET(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.GET(p, h, m...)
}
func (r v1Router) HEAD(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.HEAD(p, h, m...)
}
func (r v1Router) OPTIONS(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.OPTIONS(p, h, m...)
}
func (r v1Router) PATCH(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.PATCH(p, h, m...)
}
func (r v1Router) POST(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.POST(p, h, m...)
}
func (r v1Router) PUT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.PUT(p, h, m...)
}
func (r v1Router) TRACE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.g.TRACE(p, h, m...)
}

// Seed creates the demo personas if they are missing.
func (a *App) Seed(ctx context.Context) (int, error) {
	n, err := a.Service.SeedDemo(ctx)
	if err != nil {
		return n, fmt.Errorf("seed: %w", err)
	}
	return n, nil
}
