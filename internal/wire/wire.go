package wire

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/jobs"
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
	Medical  *app.Medical
	Sessions *auth.Sessions
	Bundle   *i18n.Bundle
	Echo     *echo.Echo
	Logger   *slog.Logger
	// Jobs is the background job queue; Start works it on this instance, Close stops it.
	Jobs *jobs.Queue
	// Metrics serves /metrics when METRICS_ADDR is set (then Echo does not); nil otherwise.
	Metrics http.Handler
	// DemoDeclarations makes Seed give the personas hour declarations in every state (the
	// program sets it; tests opt in through testenv, since they count a demo school's records).
	DemoDeclarations bool
}

// Options override parts of the assembly, for tests.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// JobPollInterval is how often an idle instance looks for due jobs; 0 means 1 second.
	JobPollInterval time.Duration
	// JobsOnClock runs the job queue on Now instead of the database's clock (tests that move a
	// clock past a job's time).
	JobsOnClock bool
}

// Open connects to the database and applies the migrations, logging each stage.
func Open(ctx context.Context, cfg Config) (*store.Store, error) {
	if path, ok := store.SQLitePath(cfg.DatabaseURL, cfg.DataDir); ok {
		slog.InfoContext(ctx, "opening the database", "dialect", store.SQLite, "file", path)
		if err := store.CheckSQLiteWritable(path); err != nil {
			return nil, err
		}
	} else {
		slog.InfoContext(ctx, "opening the database", "dialect", store.Postgres)
	}
	st, err := store.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	slog.InfoContext(ctx, "applying migrations", "dialect", st.Dialect())
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	slog.InfoContext(ctx, "applying job queue migrations", "dialect", st.Dialect())
	if err := jobs.Migrate(ctx, string(st.Dialect()), st.SQLDB(), slog.Default()); err != nil {
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
	var jobsNow func() time.Time
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.JobsOnClock {
		jobsNow = o.Now
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Mode == ModeDemo && cfg.isPostgres() {
		logger.WarnContext(ctx, DemoOnPostgresWarning)
	}
	// Two root keys: SESSION_KEY seals cookies and the logout hint, PSEUDONYM_KEY keys the audit
	// pseudonyms. Each use gets its own key derived with HKDF (auth.DeriveKey).
	key, err := cfg.sessionKey()
	if err != nil {
		return nil, err
	}
	pseudonymRoot, err := cfg.pseudonymKey()
	if err != nil {
		return nil, err
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		return nil, err
	}
	svc := app.NewService(st, auth.DeriveKey(pseudonymRoot, auth.PurposePseudonym))
	svc.Now = o.Now
	if cfg.Verification != (domain.VerificationPeriods{}) {
		svc.Verification = cfg.Verification // VERIFICATIE_*_DAGEN (verification.go)
	}
	svc.SchoolTokens = auth.SchoolTokens{Key: auth.DeriveKey(key, auth.PurposeSchoolAccessToken), Issuer: cfg.BaseURL}
	medical := app.NewMedical(svc, st)
	sessions := &auth.Sessions{Store: st, Now: o.Now}

	var oidc *auth.OIDC
	formAction := ""
	if cfg.OIDCIssuer != "" {
		oidc, err = auth.NewOIDC(ctx, auth.OIDCConfig{
			Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.BaseURL + "/auth/callback", BSNClaim: cfg.OIDCBSNClaim, RolesClaim: cfg.OIDCRolesClaim,
			APIAudience: cfg.OIDCAPIAudience, AcceptPlainJWT: cfg.OIDCAcceptPlainJWT, SessionKey: key,
		})
		if err != nil {
			return nil, err
		}
		if u, err := url.Parse(cfg.OIDCIssuer); err == nil {
			formAction = u.Scheme + "://" + u.Host
		}
		// The logout form redirects to the provider's end_session_endpoint: form-action must allow it.
		if origin := oidc.EndSessionOrigin(); origin != "" && origin != formAction {
			formAction += " " + origin
		}
	}

	q, err := jobs.New(jobs.Options{Dialect: string(st.Dialect()), DB: st.SQLDB(), TxOf: store.SQLTx,
		PollInterval: o.JobPollInterval, Now: jobsNow, Logger: logger})
	if err != nil {
		return nil, err
	}
	svc.Jobs = q
	if svc.Mail, err = notifier(cfg, bundle); err != nil {
		return nil, err
	}
	registerJobs(q, sessions, svc)
	registerAppointmentJobs(q, svc)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), q.Collector())
	e, eh := server.New(server.Options{
		Bundle: bundle, Logger: logger, Registry: reg, FormAction: formAction,
		Ready:        func(c echo.Context) error { return st.Ready(c.Request().Context()) },
		MetricsToken: cfg.MetricsToken, MetricsElsewhere: cfg.MetricsAddr != "",
		OwnBodyLimit: func(c echo.Context) bool { return api.HasOwnBodyLimit(c) || portal.HasOwnBodyLimit(c) },
	})
	// API 2.0.0 broke the 1.0.0 contract (see README, "API versions"): it lives below /v2; /v1
	// redirects there.
	e.Pre(server.MovedVersion("/v1", "/v2"))
	if err := limitRequests(e, cfg, st, key, o.Now, logger, reg); err != nil {
		return nil, err
	}
	var metrics http.Handler
	if cfg.MetricsAddr != "" {
		metrics = server.MetricsHandler(reg, cfg.MetricsToken)
	}

	renderer, err := portal.NewRenderer()
	if err != nil {
		return nil, err
	}
	if err := renderer.Localize(bundle); err != nil {
		return nil, err
	}
	csrfKey, err := hkdf.Key(sha256.New, key, nil, "inburgering portal csrf", 32)
	if err != nil {
		return nil, err
	}
	p := &portal.Portal{
		Service: svc, Sessions: sessions, OIDC: oidc, Sealer: auth.NewSealer(key), Bundle: bundle,
		KeptSealer: auth.NewSealerFor(key, auth.PurposeKeptForm),
		Render:     renderer, Demo: cfg.Mode == ModeDemo && cfg.DemoLogin, BaseURL: cfg.BaseURL, Now: o.Now,
		CSRFKey: csrfKey,
		Medical: medical,
	}
	eh.Pages = p
	eh.APIVersion = api.Version
	p.Register(e)

	handlers, err := api.NewHandlers(svc, bundle, cfg.Mode == ModeDemo && cfg.DemoLogin)
	if err != nil {
		return nil, err
	}
	handlers.Medical = medical
	doc, err := api.Spec()
	if err != nil {
		return nil, err
	}
	gate, err := api.Gate(doc, bundle, api.BearerAuth(st, oidc, svc))
	if err != nil {
		return nil, err
	}
	v1 := e.Group("/v2", api.TokenQueryGuard(), api.BodyLimits(), gate, api.Idempotency(svc))
	api.RegisterHandlersWithBaseURL(v1, api.NewStrictHandler(handlers, nil), "")

	return &App{Config: cfg, Store: st, Service: svc, Medical: medical, Sessions: sessions, Bundle: bundle, Echo: e, Logger: logger, Metrics: metrics, Jobs: q}, nil
}

// Start starts working background jobs on this instance (serve calls it; tests opt in).
func (a *App) Start(ctx context.Context) error { return a.Jobs.Start(ctx) }

// Close stops working jobs: no new ones are fetched and the running ones finish until ctx ends
// (then they are cancelled, and run again later on some instance). It does not close the store.
func (a *App) Close(ctx context.Context) error { return a.Jobs.Stop(ctx) }

// KindSweepSessions removes expired sessions and tokens, every SweepInterval, on one instance.
const KindSweepSessions = "sessions.sweep"

// SweepInterval is how often expired sessions and tokens are removed.
const SweepInterval = 5 * time.Minute

// registerJobs registers the handler of every job kind. A capability with background work adds
// its kinds here (see the internal/jobs package doc).
func registerJobs(q *jobs.Queue, sessions *auth.Sessions, svc *app.Service) {
	q.Register(KindSweepSessions, jobs.Kind{MaxAttempts: 3}, func(ctx context.Context, _ json.RawMessage) error {
		return sessions.Sweep(ctx)
	})
	q.Every(KindSweepSessions, SweepInterval, nil)

	// Language schools (issue 10): the deadlines of the verification of hour declarations, and
	// the used client-assertion jti's that can no longer be replayed.
	q.Register(app.KindDeclarationDeadline, jobs.Kind{MaxAttempts: 25}, func(ctx context.Context, args json.RawMessage) error {
		var j app.DeadlineJob
		if err := json.Unmarshal(args, &j); err != nil || j.DeclarationID <= 0 {
			return jobs.Permanent(fmt.Errorf("%s: bad args", app.KindDeclarationDeadline))
		}
		return svc.RunDeadlineJob(ctx, j)
	})
	// Contract files processed in the background (issue 10).
	q.Register(app.KindContractFile, jobs.Kind{MaxAttempts: 10}, func(ctx context.Context, args json.RawMessage) error {
		var j app.ContractFileJob
		if err := json.Unmarshal(args, &j); err != nil || j.FileID <= 0 {
			return jobs.Permanent(fmt.Errorf("%s: bad args", app.KindContractFile))
		}
		return svc.RunContractFileJob(ctx, j)
	})
	q.Register(KindSweepAssertions, jobs.Kind{MaxAttempts: 3}, func(ctx context.Context, _ json.RawMessage) error {
		return svc.SweepSchoolAssertions(ctx)
	})
	q.Every(KindSweepAssertions, SweepInterval, nil)
}

// KindSweepAssertions forgets the jti's of expired client assertions, every SweepInterval.
const KindSweepAssertions = "scholen.assertions.sweep"

// Seed creates the demo personas if they are missing.
func (a *App) Seed(ctx context.Context) (int, error) {
	n, err := a.Service.SeedDemo(ctx)
	if err != nil {
		return n, fmt.Errorf("seed: %w", err)
	}
	// The medical requests of the demo personas, with the consent texts as the portal shows them.
	if _, err := a.Medical.SeedMedicalDemo(ctx, a.Store, func(lang string, k domain.Keuze) string {
		l, ok := a.Bundle.Lookup(lang)
		if !ok {
			l, _ = a.Bundle.Lookup("nl")
		}
		return l.T("medical.consequence."+string(k), nil)
	}); err != nil {
		return n, fmt.Errorf("seed medical requests: %w", err)
	}
	m, err := a.Service.SeedDemoSchools(ctx)
	if err != nil {
		return n + m, fmt.Errorf("seed demo schools: %w", err)
	}
	// The personas' hour declarations in every state of the verification (after the schools).
	if a.DemoDeclarations {
		if _, err := a.Service.SeedDemoDeclarations(ctx); err != nil {
			return n + m, fmt.Errorf("seed demo declarations: %w", err)
		}
	}
	return n + m, nil
}
