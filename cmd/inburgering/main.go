// Command inburgering serves the portal and the API (serve, the default), applies the database
// migrations (migrate) or seeds the demo personas (seed). Configuration comes from the
// environment; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/internal/wire"
	"github.com/inburgering/portal/portal"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "inburgering:", err)
		os.Exit(1)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// run is main without the process: testable end to end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "serve", "migrate", "seed":
	case "client":
		return runClient(ctx, args[1:], getenv, stdout)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, "usage: inburgering [serve|migrate|seed|client add|list|revoke|assertion]")
		return nil
	default:
		return fmt.Errorf("unknown command %q (use serve, migrate, seed or client)", cmd)
	}
	cfg := wire.FromEnv(getenv)
	if err := cfg.Validate(); err != nil {
		return err
	}
	logger := newLogger(stdout, cfg.LogLevel)
	slog.SetDefault(logger)

	if cmd == "seed" && cfg.Mode != wire.ModeDemo {
		// The personas have valid BSNs: in a production database they would be taken for real people.
		return errors.New("seed adds the demo personas and runs in demo mode only (MODE=demo)")
	}

	st, err := wire.Open(ctx, cfg)
	if err != nil {
		return oneLine(err)
	}
	defer st.Close()
	if cmd == "migrate" {
		logger.Info("migrations applied", "dialect", st.Dialect())
		return nil
	}
	a, err := wire.Build(ctx, cfg, st, wire.Options{Logger: logger})
	if err != nil {
		return err
	}
	if cmd == "seed" || cfg.Mode == wire.ModeDemo {
		logger.Info("seeding demo personas")
		a.DemoDeclarations = true // with their hour declarations in every state (issue 10)
		n, err := a.Seed(ctx)
		if err != nil {
			return err
		}
		logger.Info("demo personas seeded", "created", n)
		if cmd == "seed" {
			return nil
		}
	}
	if getenv("GOMEMLIMIT") == "" {
		// A soft limit: the collector works harder only when the heap nears it, so the process
		// stays under about 150 MB resident under load (the budget of issue 12). GOMEMLIMIT set
		// in the environment wins (the runtime reads it itself).
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if getenv("GOGC") == "" {
		// The live heap is small (the templates, the messages, the spec) and most garbage is a
		// request's: a collection per doubling of the live heap ran the collector about a fifth
		// of the time under load. A larger growth factor collects less often; the memory limit
		// above still bounds the heap. GOGC set in the environment wins.
		debug.SetGCPercent(defaultGCPercent)
	}
	if getenv("VERIFY_TEMPLATES") == "1" {
		// Every page is rendered twice, by the Go and pre-translated paths and by the templates,
		// and a difference is a 500 (as in test binaries). CI's accessibility run sets it.
		portal.VerifyPretranslated = true
		logger.Warn("VERIFY_TEMPLATES=1: every page is rendered twice and compared (for checks, not for production)")
	}
	if addr := strings.TrimSpace(getenv("PPROF_ADDR")); addr != "" {
		stopPprof, err := startPprof(addr, logger)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	return serve(ctx, a, logger, strings.TrimSpace(getenv("BASE_URL")) != "")
}

// oneLine turns a database connection error into one line that says what is wrong: the
// driver's own is several lines, repeating itself.
func oneLine(err error) error {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return fmt.Errorf("database host %q not found (check DATABASE_URL)", dns.Name)
	case errors.As(err, &op) && op.Addr != nil:
		return fmt.Errorf("database at %s cannot be reached: %v (check DATABASE_URL and that the server runs)", op.Addr, op.Err)
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	return errors.New(msg)
}

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set.
const defaultMemoryLimit = 100 << 20

// defaultGCPercent is the collector's growth factor when GOGC is not set.
const defaultGCPercent = 200

// listenURL is the address to open in a browser for a listener bound at addr: an unspecified
// host (":8080", "0.0.0.0") is this machine, localhost.
func listenURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// serve binds the port first, so that "listening" is logged only when it is true, with the URL
// to open: BASE_URL when set, else derived from the address actually bound.
func serve(ctx context.Context, a *wire.App, logger *slog.Logger, baseURLSet bool) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", a.Config.ListenAddr)
	if err != nil {
		return err
	}
	u := a.Config.BaseURL
	if !baseURLSet {
		u = listenURL(ln.Addr())
	}
	srv := &http.Server{
		Handler:           server.LimitInFlight(server.MaxInFlight, a.Echo),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: 64 << 10,
	}
	// Background jobs (among them the session sweep) are worked by every instance; River hands
	// each job to one of them.
	if err := a.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	errc := make(chan error, 2)
	if a.Metrics != nil {
		// METRICS_ADDR: /metrics on a listener of its own, e.g. reachable only from the monitoring network.
		msrv := &http.Server{Addr: a.Config.MetricsAddr, Handler: a.Metrics, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
		go func() {
			logger.Info("metrics listening", "addr", a.Config.MetricsAddr)
			errc <- msrv.ListenAndServe()
		}()
		defer msrv.Close()
	}
	logger.Info("listening", "addr", ln.Addr().String(), "mode", a.Config.Mode, "dialect", a.Store.Dialect(), "url", u)
	fmt.Fprintf(os.Stderr, "inburgering: open %s\n", u)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if jerr := a.Close(stopCtx); jerr != nil {
			logger.Warn("stopping the job queue", "error", jerr.Error())
		}
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	// Then the jobs: stop fetching, let the running ones finish (until the deadline).
	if jerr := a.Close(shutdownCtx); jerr != nil {
		logger.Warn("stopping the job queue", "error", jerr.Error())
	}
	return err
}
