// Command bench is the load benchmark of issue 12. It is not part of CI (a full run takes minutes).
//
//	go run ./bench -profile overview,api,public            # 100,000 inburgeraars, 1,000,000 invoices
//	go run ./bench -profile overview -scale 0.05 -duration 5s   # a quick run
//
// It creates a fresh schema in PostgreSQL (-database, default the local test database), builds and
// starts the server on it (demo mode on PostgreSQL, so that no OIDC provider is needed), lets it
// migrate, stops it, seeds a realistic volume with COPY, starts it again (the start-up time on an
// existing database is reported), and starts a bare net/http server that returns a fixed small
// page (this same binary, -baseline). This process is the load generator: -conns virtual users
// over loopback with keep-alive. For every profile it measures the baseline right before the
// server, so each figure is also a ratio that holds on a noisy machine: requests per second, p50
// and p99 latency, errors, the CPU the server process used (cores busy) and its peak RSS, and
// the CPU that PostgreSQL's processes and this load generator spent per request: all three share
// the machine's cores, so together they bound the throughput.
//
// Profiles: overview (the logged-in "Mijn overzicht", a session cookie per request drawn from
// -sessions sessions of random inburgeraars), api (the own-data resources with bearer tokens),
// public (the home page), prearrival (the public pre-arrival pages in every language),
// declarations (a school's hour declarations, next to a bare INSERT of the same row) and booking
// (a storm of attempts at one slot).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/store"
)

type options struct {
	profiles []string
	scale    float64
	duration time.Duration
	warmup   time.Duration
	conns    int
	database string
	sessions int
	rateLim  bool
	keep     bool
	src      string
	pprofDir string

	bookAttempts, bookSeats int
}

func main() {
	var o options
	var profiles, baseline, baselineDB string
	flag.StringVar(&profiles, "profile", "overview,api,public", "profiles to run, comma-separated: "+strings.Join(profileNames(), ", "))
	flag.Float64Var(&o.scale, "scale", 1, "volume: 1 seeds 100,000 inburgeraars and 1,000,000 invoices")
	flag.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per target and profile")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	flag.IntVar(&o.conns, "conns", 64, "concurrent connections (virtual users)")
	flag.StringVar(&o.database, "database", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL URL; a fresh schema is made in it")
	flag.IntVar(&o.sessions, "sessions", 10000, "sessions and API tokens to seed (each request uses a random one)")
	flag.BoolVar(&o.rateLim, "ratelimit", true, "count API requests in the rate limiter (limits set high enough never to refuse); false: off")
	flag.BoolVar(&o.keep, "keep", false, "keep the schema afterwards")
	flag.StringVar(&o.src, "src", ".", "the source tree to build the server from (e.g. an older commit, for before/after)")
	flag.IntVar(&o.bookAttempts, "booking-attempts", 5000, "booking storm: concurrent attempts (distinct inburgeraars, at most the seeded number) at one slot")
	flag.IntVar(&o.bookSeats, "booking-seats", 50, "booking storm: the slot's seats (1–50)")
	flag.StringVar(&o.pprofDir, "pprof", "", "write the server's CPU profile of each measurement (<profile>.cpu.pprof) and a heap profile after it (<profile>.heap.pprof) to this folder (PPROF_ADDR on loopback)")
	flag.StringVar(&baseline, "baseline", "", "internal: serve the bare net/http baseline on this address")
	flag.StringVar(&baselineDB, "baseline-db", "", "internal: with -baseline, also serve the bare reads (/reads/overview, /reads/api) on this PostgreSQL URL")
	flag.Parse()
	if baseline != "" {
		serveBaseline(baseline, baselineDB)
		return
	}
	o.profiles = strings.Split(profiles, ",")
	for _, p := range o.profiles {
		if _, ok := catalogue[p]; !ok {
			fatal(fmt.Errorf("unknown profile %q (known: %s)", p, strings.Join(profileNames(), ", ")))
		}
	}
	if err := run(context.Background(), o); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// serveBaseline is the yardstick: a bare net/http handler returning a fixed small page.
func serveBaseline(addr, dbURL string) {
	page := []byte("<!DOCTYPE html><html lang=\"nl\"><head><title>Basis</title></head><body><p>Basis</p></body></html>\n")
	write := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { write(w) })
	if dbURL != "" {
		addBareReads(mux, dbURL, write)
	}
	fatal(http.ListenAndServe(addr, mux))
}

// addBareReads serves the floor of the overview and API profiles: the same PostgreSQL statements
// the server runs per request (store.PostgresReads), on a pgx pool of the server's size, and then
// the bare page. No template, no translation, no compression, no middleware: what any server
// that reads its data per request must spend at least.
//   - /reads/overview: the session by the "sessie" cookie's hash, then the overview statement.
//   - /reads/api: the API token by the bearer token's hash, then the overview statement.
func addBareReads(mux *http.ServeMux, dbURL string, write func(http.ResponseWriter)) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		fatal(err)
	}
	cfg.MaxConns, cfg.MinConns = 20, 20 // the server's PostgreSQL pool, all kept open
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		fatal(err)
	}
	sessionSQL, tokenSQL, overviewSQL := store.PostgresReads()
	// owner runs a lookup and returns column col of its row, an inburgeraar id.
	owner := func(ctx context.Context, col int, q string, args ...any) (int64, error) {
		rs, err := pool.Query(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		defer rs.Close()
		if !rs.Next() {
			return 0, errors.Join(errors.New("no row"), rs.Err())
		}
		v, err := rs.Values()
		if err != nil {
			return 0, err
		}
		id, ok := v[col].(int64)
		if !ok {
			return 0, fmt.Errorf("column %d is %T", col, v[col])
		}
		return id, nil
	}
	// overview runs the overview statement and reads its row's bytes, as a server must receive
	// them (not decoded: that is the server's own work).
	overview := func(ctx context.Context, id int64) error {
		rs, err := pool.Query(ctx, overviewSQL, id)
		if err != nil {
			return err
		}
		defer rs.Close()
		n := 0
		for rs.Next() {
			for _, v := range rs.RawValues() {
				n += len(v)
			}
		}
		if err := rs.Err(); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("no overview row")
		}
		return nil
	}
	serve := func(w http.ResponseWriter, r *http.Request, col int, lookup string, args ...any) {
		id, err := owner(r.Context(), col, lookup, args...)
		if err == nil {
			err = overview(r.Context(), id)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		write(w)
	}
	mux.HandleFunc("/reads/overview", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sessie")
		if err != nil {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		serve(w, r, 1, sessionSQL, auth.Hash(c.Value)) // the session's second column is its inburgeraar_id
	})
	mux.HandleFunc("/reads/api", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		serve(w, r, 0, tokenSQL, auth.Hash(tok), time.Now().UTC())
	})
}

// bareReads is the floor of the overview and api profiles (see addBareReads): the same
// sessions and tokens, served by the baseline process; nil for the other profiles.
func bareReads(e *env, profile string) *target {
	switch profile {
	case "overview":
		return &target{build: func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.baseline+"/reads/overview", nil)
			r.AddCookie(&http.Cookie{Name: "sessie", Value: e.sessions[rnd.IntN(len(e.sessions))]})
			return r
		}}
	case "api":
		return &target{build: func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.baseline+"/reads/api", nil)
			r.Header.Set("Authorization", "Bearer "+e.tokens[rnd.IntN(len(e.tokens))])
			return r
		}}
	}
	return nil
}

// target is one request source of a profile; build returns the next request of virtual user vu.
type target struct {
	build func(rnd *rand.Rand) *http.Request
	// ok lists the statuses that count as success (default: 200 only).
	ok []int
	// op, when set, replaces the HTTP request: one operation (the bare insert into PostgreSQL).
	op func(ctx context.Context, rnd *rand.Rand) error
	// then, when set, runs once after the measurement and returns lines to report.
	then func(ctx context.Context) []string
}

type profile struct {
	about string
	// make returns the target, or nil when the capability is not built yet.
	make func(e *env) *target
}

var catalogue = map[string]profile{
	"overview": {"logged-in Mijn overzicht (GET /nl/mijn, session cookie)", func(e *env) *target {
		return &target{build: func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+"/nl/mijn", nil)
			r.AddCookie(&http.Cookie{Name: "sessie", Value: e.sessions[rnd.IntN(len(e.sessions))]})
			return r
		}}
	}},
	"api": {"own-data API resources (GET /v2/mijn/…, bearer token)", func(e *env) *target {
		paths := []string{"/v2/mijn/inburgeringstermijn", "/v2/mijn/lening", "/v2/mijn/pip", "/v2/mijn/profiel", "/v2/mijn/facturen"}
		return &target{build: func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+paths[rnd.IntN(len(paths))], nil)
			i := rnd.IntN(len(e.tokens))
			r.Header.Set("Authorization", "Bearer "+e.tokens[i])
			// Each token's owner calls from an address of their own, handed on by the proxy in
			// front (the server trusts loopback as one here), as phones do in production: the
			// limiter counts per token and per address, not every request on one address.
			r.Header.Set("X-Forwarded-For", clientAddr(i))
			return r
		}}
	}},
	"public": {"public home page (GET /nl)", func(e *env) *target {
		return &target{build: func(*rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+"/nl", nil)
			return r
		}}
	}},
	// Hooks for the capabilities others are building; each needs its seed data and requests.
	"declarations": {"schools submitting hour declarations (POST /v2/urenverklaringen, a new Idempotency-Key each)", func(e *env) *target {
		body := func(bsn string) string {
			return `{"bsn":"` + bsn + `","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":3}`
		}
		return &target{ok: []int{http.StatusCreated}, build: func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, e.server+"/v2/urenverklaringen", strings.NewReader(body(e.bsns[rnd.IntN(len(e.bsns))])))
			r.Header.Set("Authorization", "Bearer "+e.schoolToken)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Idempotency-Key", auth.NewID())
			return r
		}}
	}},
	// booking is run by runBooking (one storm, not a timed loop).
	"booking": {"booking storm: concurrent attempts at one slot (POST /v2/mijn/afspraken)", func(*env) *target { return nil }},
	"prearrival": {"public pre-arrival pages (GET /{taal}/naar-nederland/…, every language, returning reader)", func(e *env) *target {
		langs := []string{"nl", "en", "ar", "tr", "fa", "ti", "so", "fr", "ps"}
		pages := []string{"", "/examen-buitenland", "/na-aankomst", "/kosten", "/vragen", "/check"}
		return &target{build: func(rnd *rand.Rand) *http.Request {
			l := langs[rnd.IntN(len(langs))]
			r, _ := http.NewRequest(http.MethodGet, e.server+"/"+l+"/naar-nederland"+pages[rnd.IntN(len(pages))], nil)
			r.AddCookie(&http.Cookie{Name: "taal", Value: l})
			return r
		}}
	}},
}

func profileNames() []string {
	var n []string
	for k := range catalogue {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// env is the running system under test.
type env struct {
	server, baseline string
	serverPID        int
	baselinePID      int
	sessions, tokens []string
	bsns             []string // of the seeded inburgeraars (a contract with the demo school each)
	schoolToken      string   // access token of demo-taalschool-noord
	schoolID         int64
	bookTokens       []string // API tokens of distinct inburgeraars, for the booking storm
	admin            *pgx.Conn
	schema, dbURL    string
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "inburgering-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	admin, err := pgx.Connect(ctx, o.database)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer admin.Close(ctx)
	schema := fmt.Sprintf("bench_%d", time.Now().Unix())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return err
	}
	if !o.keep {
		defer func() { _, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") }()
	}
	u, err := url.Parse(o.database)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dbURL := u.String()

	step("building the server")
	bin := filepath.Join(tmp, "inburgering")
	build := exec.Command("go", "build", "-o", bin, "./cmd/inburgering")
	build.Dir = o.src
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	server := fmt.Sprintf("127.0.0.1:%d", port)
	envv := append(os.Environ(),
		"DATABASE_URL="+dbURL, "MODE=demo", "DEMO_ON_POSTGRES=true", "LISTEN_ADDR="+server,
		"BASE_URL=http://"+server, "LOG_LEVEL=warn")
	pprofAddr := ""
	if o.pprofDir != "" {
		if err := os.MkdirAll(o.pprofDir, 0o750); err != nil {
			return err
		}
		pport, err := freePort()
		if err != nil {
			return err
		}
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", pport)
		envv = append(envv, "PPROF_ADDR="+pprofAddr)
	}
	envv = append(envv, "TRUSTED_PROXIES=127.0.0.1/32")
	if o.rateLim {
		// Counted, as in production, but never refused: this measures the pages, not the refusals.
		envv = append(envv, "RATE_LIMIT_API_IP=1000000000/1m", "RATE_LIMIT_API_TOKEN=1000000000/1m")
	} else {
		envv = append(envv, "RATE_LIMIT_API_IP=off", "RATE_LIMIT_API_TOKEN=off")
	}

	step("first start: migrations and demo personas")
	srv, _, err := startServer(ctx, bin, envv, tmp, "http://"+server)
	if err != nil {
		return err
	}
	stop(srv)

	persons := int(100000 * o.scale)
	invoices := int(1000000 * o.scale)
	step(fmt.Sprintf("seeding %d inburgeraars, %d invoices, %d sessions and %d API tokens", persons, invoices, o.sessions, o.sessions))
	t0 := time.Now()
	sessions, tokens, bsns, err := seed(ctx, admin, schema, persons, invoices, o.sessions)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	declarations, appointments := int(200000*o.scale), int(50000*o.scale)
	bookers := min(o.bookAttempts, persons)
	step(fmt.Sprintf("seeding contracts, %d hour declarations, %d appointments, %d booking tokens", declarations, appointments, bookers))
	schoolID, bookTokens, err := seedSchoolsAndBookings(ctx, admin, schema, persons, declarations, appointments, bookers)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("  seeded in %s\n", time.Since(t0).Round(time.Second))

	step("second start, on the seeded database")
	srv, startup, err := startServer(ctx, bin, envv, tmp, "http://"+server)
	if err != nil {
		return err
	}
	defer stop(srv)
	fmt.Printf("  ready in %s\n", startup.Round(time.Millisecond))

	bport, err := freePort()
	if err != nil {
		return err
	}
	baseAddr := fmt.Sprintf("127.0.0.1:%d", bport)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	base := exec.Command(self, "-baseline", baseAddr, "-baseline-db", dbURL)
	base.Stderr = os.Stderr
	if err := base.Start(); err != nil {
		return err
	}
	defer stop(base)
	if err := waitReady(ctx, "http://"+baseAddr+"/", 10*time.Second); err != nil {
		return err
	}

	e := &env{server: "http://" + server, baseline: "http://" + baseAddr, serverPID: srv.Process.Pid,
		baselinePID: base.Process.Pid, sessions: sessions, tokens: tokens, bsns: bsns, schoolID: schoolID,
		bookTokens: bookTokens, admin: admin, schema: schema, dbURL: dbURL}
	if slices.Contains(o.profiles, "declarations") {
		if e.schoolToken, err = schoolToken(ctx, e.server); err != nil {
			return fmt.Errorf("school token: %w", err)
		}
	}
	baseTarget := &target{build: func(*rand.Rand) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, e.baseline+"/", nil)
		return r
	}}

	load1, load5, _ := loadavg()
	fmt.Printf("\nmachine: %d CPU cores (GOMAXPROCS %d), %s; load average before the run %s, %s (1, 5 min)\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), load1, load5)
	fmt.Printf("volume: %d inburgeraars, %d invoices; %d connections, %s per measurement after %s warm-up; rate limiter counting: %v; server start-up on the seeded database: %s\n\n",
		persons, invoices, o.conns, o.duration, o.warmup, o.rateLim, startup.Round(time.Millisecond))
	fmt.Println("| profile | target | req/s | ratio | p50 | p99 | errors | CPU (cores) | CPU per request | peak RSS | PostgreSQL CPU per request | load generator CPU per request |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range o.profiles {
		p := catalogue[name]
		if name == "booking" {
			prof := ""
			if pprofAddr != "" {
				prof = "http://" + pprofAddr + "|" + filepath.Join(o.pprofDir, name)
			}
			if err := runBooking(ctx, e, o, prof); err != nil {
				return fmt.Errorf("booking: %w", err)
			}
			continue
		}
		t := p.make(e)
		if t == nil {
			fmt.Printf("| %s | not built yet: %s | | | | | | | | | | |\n", name, p.about)
			continue
		}
		b := measure(ctx, baseTarget, e.baselinePID, o, "")
		prof := ""
		if pprofAddr != "" {
			prof = "http://" + pprofAddr + "|" + filepath.Join(o.pprofDir, name)
		}
		r := measure(ctx, t, e.serverPID, o, prof)
		fmt.Printf("| %s | bare net/http | %.0f | 1 | %s | %s | %d | %.2f | %s | %s | — | %s |\n", name, b.rps, ms(b.p50), ms(b.p99), b.errors,
			b.cpu, us(b.cpuPerReq()), mb(b.rss), us(b.perReq(b.genCPU)))
		fmt.Printf("| %s | server | %.0f | %.3f× | %s (%.1f×) | %s (%.1f×) | %d | %.2f | %s (%.0f×) | %s | %s | %s |\n", name, r.rps, r.rps/b.rps,
			ms(r.p50), ratio(r.p50, b.p50), ms(r.p99), ratio(r.p99, b.p99), r.errors, r.cpu,
			us(r.cpuPerReq()), ratio(r.cpuPerReq(), b.cpuPerReq()), mb(r.rss), us(r.perReq(r.pgCPU)), us(r.perReq(r.genCPU)))
		if r.firstErr != "" {
			fmt.Printf("|  | first error: %s | | | | | | | | | | |\n", strings.ReplaceAll(r.firstErr, "|", "/"))
		}
		if floor := bareReads(e, name); floor != nil {
			f := measure(ctx, floor, e.baselinePID, o, "")
			fmt.Printf("| %s | bare reads (the same statements, pgx, bare page) | %.0f | %.3f× | %s | %s | %d | %.2f | %s | %s | %s | %s |\n", name, f.rps, f.rps/b.rps,
				ms(f.p50), ms(f.p99), f.errors, f.cpu, us(f.cpuPerReq()), mb(f.rss), us(f.perReq(f.pgCPU)), us(f.perReq(f.genCPU)))
			if f.firstErr != "" {
				fmt.Printf("|  | first error: %s | | | | | | | | | | |\n", strings.ReplaceAll(f.firstErr, "|", "/"))
			}
		}
		if name == "declarations" {
			bare, err := bareInsert(ctx, e)
			if err != nil {
				return fmt.Errorf("bare insert: %w", err)
			}
			ri := measure(ctx, bare, 0, o, "")
			fmt.Printf("| %s | bare INSERT (pgx, same row shape) | %.0f | %.3f× of it | %s | %s | %d | | | | %s | %s |\n", name, ri.rps, r.rps/max(ri.rps, 1),
				ms(ri.p50), ms(ri.p99), ri.errors, us(ri.perReq(ri.pgCPU)), us(ri.perReq(ri.genCPU)))
			bare.then(ctx)
		}
	}
	load1, load5, _ = loadavg()
	fmt.Printf("\nload average after the run: %s, %s (1, 5 min)\n", load1, load5)
	return nil
}

func step(s string) { fmt.Printf("== %s\n", s) }

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d.Nanoseconds())/1000) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer starts the server and returns once /readyz answers 200, with the time that took.
func startServer(ctx context.Context, bin string, envv []string, dir, base string) (*exec.Cmd, time.Duration, error) {
	cmd := exec.Command(bin)
	cmd.Env = envv
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	if err := waitReady(ctx, base+"/readyz", 2*time.Minute); err != nil {
		stop(cmd)
		return nil, 0, err
	}
	return cmd, time.Since(t0), nil
}

func waitReady(ctx context.Context, u string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after %s", u, limit)
}

func stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// result is one measurement.
type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int64
	firstErr string
	cpu      float64 // cores busy in the measured process
	rss      int64   // peak resident set of the measured process during the measurement
	pgCPU    float64 // cores busy in PostgreSQL's processes (every process named postgres)
	genCPU   float64 // cores busy in this process, the load generator
}

// perReq is cores (of the measured time) per request as CPU time.
func (r result) perReq(cores float64) time.Duration {
	if r.rps <= 0 {
		return 0
	}
	return time.Duration(cores / r.rps * float64(time.Second))
}

// cpuPerReq is the CPU time the process spent per request; on a machine shared with other work
// it is steadier than the throughput (PostgreSQL's own CPU is not in it).
func (r result) cpuPerReq() time.Duration { return r.perReq(r.cpu) }

// send does req and reads the answer; a status not in ok (default 200) is an error.
func send(client *http.Client, req *http.Request, ok []int) error {
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if len(ok) == 0 {
		ok = []int{http.StatusOK}
	}
	if !slices.Contains(ok, res.StatusCode) {
		if res.Header.Get("Content-Encoding") == "gzip" {
			// The generator asks for gzip itself, so the Transport leaves the body compressed;
			// only a failure's body is worth decoding, for its message.
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if plain, err := io.ReadAll(zr); err == nil {
					b = plain
				}
			}
		}
		return fmt.Errorf("%s %s → %d %.200s", req.Method, req.URL.Path, res.StatusCode, b)
	}
	return nil
}

// fetchProfile saves the pprof profile at u to file.
func fetchProfile(ctx context.Context, u, file string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: pprof:", err)
		return
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err == nil {
		err = os.WriteFile(file, b, 0o640)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: pprof:", err)
	}
}

// measure runs one measurement; prof, when not empty, is "pprof base URL|file prefix": the CPU
// profile of the measured time and a heap profile after it are saved.
func measure(ctx context.Context, t *target, pid int, o options, prof string) result {
	tr := &http.Transport{MaxIdleConns: o.conns, MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		measuring atomic.Bool
		stopAll   atomic.Bool
		errs      atomic.Int64
		firstErr  atomic.Value
		mu        sync.Mutex
		all       []time.Duration
		wg        sync.WaitGroup
	)
	for vu := range o.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(vu), uint64(time.Now().UnixNano())))
			var lat []time.Duration
			for !stopAll.Load() {
				var err error
				t0 := time.Now()
				if t.op != nil {
					err = t.op(ctx, rnd)
				} else {
					req := t.build(rnd)
					if req.Header.Get("Accept-Encoding") == "" {
						// As a browser and wrk -H do: asked for explicitly, the Transport hands the
						// gzip'ed body over undecoded, so the load generator does not spend the
						// shared cores on decompressing what it discards.
						req.Header.Set("Accept-Encoding", "gzip")
					}
					err = send(client, req.WithContext(ctx), t.ok)
				}
				d := time.Since(t0)
				if !measuring.Load() {
					continue
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat = append(lat, d)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	time.Sleep(o.warmup)
	resetPeakRSS(pid)
	cpu0, pg0, gen0 := cpuTime(pid), postgresCPU(), cpuTime(os.Getpid())
	t0 := time.Now()
	measuring.Store(true)
	var profDone sync.WaitGroup
	if base, file, ok := strings.Cut(prof, "|"); ok {
		profDone.Add(1)
		go func() {
			defer profDone.Done()
			secs := max(1, int(o.duration.Seconds())-1)
			fetchProfile(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", base, secs), file+".cpu.pprof")
		}()
	}
	time.Sleep(o.duration)
	measuring.Store(false)
	elapsed := time.Since(t0)
	cpu1, pg1, gen1 := cpuTime(pid), postgresCPU(), cpuTime(os.Getpid())
	rss := peakRSS(pid)
	profDone.Wait()
	if base, file, ok := strings.Cut(prof, "|"); ok {
		fetchProfile(ctx, base+"/debug/pprof/heap", file+".heap.pprof")
	}
	stopAll.Store(true)
	wg.Wait()
	slices.Sort(all)
	r := result{rps: float64(len(all)) / elapsed.Seconds(), errors: errs.Load(), rss: rss,
		cpu: (cpu1 - cpu0).Seconds() / elapsed.Seconds(), pgCPU: pg1.since(pg0).Seconds() / elapsed.Seconds(),
		genCPU: (gen1 - gen0).Seconds() / elapsed.Seconds()}
	if s, ok := firstErr.Load().(string); ok {
		r.firstErr = s
	}
	if n := len(all); n > 0 {
		r.p50, r.p99 = all[n/2], all[min(n-1, n*99/100)]
	}
	return r
}

// cpuTime is the user + system CPU time of process pid (Linux /proc).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}

// pgSnapshot is the CPU time of every running process named postgres (the local server and its
// backends), by process ID.
type pgSnapshot map[int]time.Duration

func postgresCPU() pgSnapshot {
	dirs, _ := os.ReadDir("/proc")
	out := pgSnapshot{}
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			out[pid] = cpuTime(pid)
		}
	}
	return out
}

// since is the CPU PostgreSQL's processes used since earlier: of every process running now, its
// time minus what it had then (all of it when it started since). A backend that ended in between
// takes its time with it, so this errs low; the server's pool keeps its connections.
func (now pgSnapshot) since(earlier pgSnapshot) time.Duration {
	var d time.Duration
	for pid, t := range now {
		d += max(0, t-earlier[pid])
	}
	return d
}

// resetPeakRSS resets VmHWM, so that peakRSS reports the peak of this measurement.
func resetPeakRSS(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func loadavg() (string, string, string) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?", "?", "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?", "?", "?"
	}
	return f[0], f[1], f[2]
}

// seed writes the volume with COPY: inburgeraars with valid BSNs (eleven-test) outside the demo
// personas' range, invoices spread over them (paid, open and accepted), and sessions and API
// tokens of random inburgeraars. It returns the session IDs (cookie values) and tokens.
func seed(ctx context.Context, db *pgx.Conn, schema string, persons, invoices, sessions int) ([]string, []string, []string, error) {
	const firstID = 1_000_000
	rnd := rand.New(rand.NewPCG(12, 12))
	groups := []string{"gezinsmigrant", "overige_migrant", "asielstatushouder"}
	gemeenten := []string{"Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere"}
	names := []string{"Amal", "Dawit", "Samira", "Yusuf", "Olena", "Kidane", "Ahmad", "Goran", "Lina", "Farah", "Mehmet", "Aisha"}
	bsn := 50_000_000
	var rows [][]any
	var bsns []string
	for i := range persons {
		var b string
		for {
			bsn++
			if s, ok := elevenTest(bsn); ok {
				b = s
				break
			}
		}
		bsns = append(bsns, b)
		group := groups[rnd.IntN(len(groups))]
		payer, maxLoan := "loan", any(int64(1_000_000))
		if group == "asielstatushouder" {
			payer, maxLoan = "gemeente", nil
		}
		start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rnd.IntN(3*365))
		notice := start.AddDate(0, 0, -rnd.IntN(60))
		rows = append(rows, []any{int64(firstID + i), b, names[rnd.IntN(len(names))] + " " + strconv.Itoa(i), group, start, payer,
			"nl", gemeenten[rnd.IntN(len(gemeenten))], notice, maxLoan})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "inburgeraars"},
		[]string{"id", "bsn", "naam", "doelgroep", "startdatum_plicht", "betaler", "voorkeurstaal", "gemeente", "kennisgevingsdatum", "lening_maximum_centen"},
		pgx.CopyFromRows(rows)); err != nil {
		return nil, nil, nil, fmt.Errorf("inburgeraars: %w", err)
	}
	schools := []string{"Taalschool Noord", "ROC Midden", "Inburgering Plus", "Taalhuis West", "NT2 Centrum"}
	now := time.Now().UTC()
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= invoices {
			return nil, nil
		}
		i++
		person := int64(firstID + rnd.IntN(max(persons, 1)))
		day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rnd.IntN(3*365))
		status, decided, paid := "betaald", any(nil), any(day.AddDate(0, 0, 30))
		switch rnd.IntN(20) {
		case 0:
			status, paid = "open", nil
		case 1:
			status, decided, paid = "geaccepteerd", now, nil
		}
		return []any{person, schools[rnd.IntN(len(schools))], int64(20_000 + rnd.IntN(200_000)), day,
			day.AddDate(0, -1, 0), day, status, decided, paid}, nil
	})
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "facturen"},
		[]string{"inburgeraar_id", "school", "bedrag_centen", "factuurdatum", "periode_van", "periode_tot", "status", "besloten_op", "betaald_op"}, src); err != nil {
		return nil, nil, nil, fmt.Errorf("facturen: %w", err)
	}
	var sess, toks []string
	var srows, trows [][]any
	for range sessions {
		person := int64(firstID + rnd.IntN(max(persons, 1)))
		id := auth.NewID()
		sess = append(sess, id)
		srows = append(srows, []any{auth.Hash(id), "inburgeraar", person, now, now})
		tok := auth.NewID()
		toks = append(toks, tok)
		trows = append(trows, []any{auth.Hash(tok), person, now, now.Add(24 * time.Hour)})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "sessies"},
		[]string{"id_hash", "soort", "inburgeraar_id", "aangemaakt_op", "laatst_gezien_op"}, pgx.CopyFromRows(srows)); err != nil {
		return nil, nil, nil, fmt.Errorf("sessies: %w", err)
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "api_tokens"},
		[]string{"hash", "inburgeraar_id", "aangemaakt_op", "verloopt_op"}, pgx.CopyFromRows(trows)); err != nil {
		return nil, nil, nil, fmt.Errorf("api_tokens: %w", err)
	}
	for _, t := range []string{"inburgeraars", "facturen", "sessies", "api_tokens"} {
		if _, err := db.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, t}.Sanitize()); err != nil {
			return nil, nil, nil, err
		}
	}
	if len(sess) == 0 {
		return nil, nil, nil, errors.New("no sessions seeded")
	}
	return sess, toks, bsns, nil
}

// elevenTest returns the nine-digit BSN with eight leading digits n and a check digit that passes
// the eleven-test, or false when no digit does.
func elevenTest(n int) (string, bool) {
	s := fmt.Sprintf("%08d", n)
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * (9 - i)
	}
	d := sum % 11 // sum - d ≡ 0 (mod 11): the last digit weighs -1
	if d == 10 {
		return "", false
	}
	return s + strconv.Itoa(d), true
}

// seedSchoolsAndBookings gives every seeded inburgeraar a contract with the demo school
// demo-taalschool-noord (so that it may declare hours for them), writes declarations hour
// declarations and appointments appointments (held, in past slots), and API tokens of bookers
// distinct inburgeraars for the booking storm. It returns the school's ID and those tokens.
func seedSchoolsAndBookings(ctx context.Context, db *pgx.Conn, schema string, persons, declarations, appointments, bookers int) (int64, []string, error) {
	const firstID = 1_000_000
	var schoolID int64
	if err := db.QueryRow(ctx, "SELECT id FROM "+pgx.Identifier{schema, "scholen"}.Sanitize()+" WHERE client_id = $1",
		"demo-taalschool-noord").Scan(&schoolID); err != nil {
		return 0, nil, fmt.Errorf("demo school: %w", err)
	}
	now := time.Now().UTC()
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	i := 0
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "contracten"},
		[]string{"school_id", "inburgeraar_id", "cursussoort", "startdatum", "einddatum", "ingekochte_uren", "aangemaakt_op"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= persons {
				return nil, nil
			}
			i++
			return []any{schoolID, int64(firstID + i - 1), "nt2", from, to, int32(5000), now}, nil
		})); err != nil {
		return 0, nil, fmt.Errorf("contracten: %w", err)
	}
	rnd := rand.New(rand.NewPCG(13, 13))
	i = 0
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "urenverklaringen"},
		[]string{"school_id", "inburgeraar_id", "cursussoort", "periode_van", "periode_tot", "uren", "status", "aangemaakt_op"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= declarations {
				return nil, nil
			}
			i++
			month := time.Date(2026, time.Month(1+rnd.IntN(10)), 1, 0, 0, 0, 0, time.UTC)
			return []any{schoolID, int64(firstID + rnd.IntN(max(persons, 1))), "nt2", month, month.AddDate(0, 1, -1),
				int32(1 + rnd.IntN(40)), "geaccepteerd", now}, nil
		})); err != nil {
		return 0, nil, fmt.Errorf("urenverklaringen: %w", err)
	}
	// Past slots of 10 places, all taken: the appointments were held.
	const perSlot = 10
	slots := (appointments + perSlot - 1) / perSlot
	var slotIDs []int64
	start := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	for k := range slots {
		var id int64
		at := start.Add(time.Duration(k) * 15 * time.Minute)
		if err := db.QueryRow(ctx, "INSERT INTO "+pgx.Identifier{schema, "tijdsloten"}.Sanitize()+
			" (soort, kanaal, starttijd, duur_minuten, capaciteit, geboekt) VALUES ('lening', 'telefoon', $1, 15, $2, $2) RETURNING id",
			at, perSlot).Scan(&id); err != nil {
			return 0, nil, fmt.Errorf("tijdsloten: %w", err)
		}
		slotIDs = append(slotIDs, id)
	}
	i = 0
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "afspraken"},
		[]string{"inburgeraar_id", "tijdslot_id", "soort", "status", "sleutel", "aangemaakt_op", "gewijzigd_op"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= appointments {
				return nil, nil
			}
			i++
			return []any{int64(firstID + rnd.IntN(max(persons, 1))), slotIDs[(i-1)/perSlot], "lening", "gehouden",
				"seed-" + strconv.Itoa(i), now, now}, nil
		})); err != nil {
		return 0, nil, fmt.Errorf("afspraken: %w", err)
	}
	var toks []string
	var rows [][]any
	for k := range bookers {
		tok := auth.NewID()
		toks = append(toks, tok)
		rows = append(rows, []any{auth.Hash(tok), int64(firstID + k), now, now.Add(24 * time.Hour)})
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "api_tokens"},
		[]string{"hash", "inburgeraar_id", "aangemaakt_op", "verloopt_op"}, pgx.CopyFromRows(rows)); err != nil {
		return 0, nil, fmt.Errorf("api_tokens: %w", err)
	}
	for _, t := range []string{"contracten", "urenverklaringen", "tijdsloten", "afspraken", "api_tokens"} {
		if _, err := db.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, t}.Sanitize()); err != nil {
			return 0, nil, err
		}
	}
	return schoolID, toks, nil
}

// schoolToken gets an access token for the demo school demo-taalschool-noord, as its software
// would: a client assertion signed with its (demo, public) key, client credentials grant.
func schoolToken(ctx context.Context, server string) (string, error) {
	d, ok := app.DemoSchoolByClientID("demo-taalschool-noord")
	if !ok {
		return "", errors.New("no demo school")
	}
	k, err := auth.ParsePrivateJWK([]byte(d.PrivateKeys[0]))
	if err != nil {
		return "", err
	}
	tokenURL := server + "/v2/oauth2/token"
	a, err := auth.SignAssertion(k, d.ClientID, tokenURL, time.Now(), time.Minute)
	if err != nil {
		return "", err
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {auth.ClientAssertionType}, "client_assertion": {a}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || res.StatusCode != http.StatusOK || tok.AccessToken == "" {
		return "", fmt.Errorf("token endpoint: %d %v", res.StatusCode, err)
	}
	return tok.AccessToken, nil
}

// bareInsert is the yardstick of the declarations: the same row inserted straight into
// PostgreSQL (pgx pool, the same connections as the load), in the same run. Its then closes the pool.
func bareInsert(ctx context.Context, e *env) (*target, error) {
	pool, err := pgxpool.New(ctx, e.dbURL)
	if err != nil {
		return nil, err
	}
	tbl := pgx.Identifier{e.schema, "urenverklaringen"}.Sanitize()
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	return &target{op: func(ctx context.Context, rnd *rand.Rand) error {
		_, err := pool.Exec(ctx, "INSERT INTO "+tbl+" (school_id, inburgeraar_id, cursussoort, periode_van, periode_tot, uren, status, aangemaakt_op)"+
			" VALUES ($1, $2, 'nt2', $3, $4, 3, 'geaccepteerd', $5)", e.schoolID, int64(1_000_000+rnd.IntN(len(e.bsns))), from, to, time.Now())
		return err
	}, then: func(context.Context) []string { pool.Close(); return nil }}, nil
}

// runBooking is the booking storm: o.bookAttempts distinct inburgeraars try at once to book the
// one slot of o.bookSeats seats. It reports the bookings made, the refusals ("full"), anything
// else as an error, p50 and p99, and what the database holds afterwards. prof, when not empty, is
// "pprof base URL|file prefix": CPU profiles of one second each are saved while the storm lasts
// (<prefix>.cpu.<n>.pprof; go tool pprof -top merges them when given all).
func runBooking(ctx context.Context, e *env, o options, prof string) error {
	attempts := min(o.bookAttempts, len(e.bookTokens))
	// Three days ahead at 09:07 UTC: bookable (tomorrow up to the horizon), a time no demo slot has.
	day := time.Now().UTC().AddDate(0, 0, 3)
	at := time.Date(day.Year(), day.Month(), day.Day(), 9, 7, 0, 0, time.UTC)
	var slot int64
	if err := e.admin.QueryRow(ctx, "INSERT INTO "+pgx.Identifier{e.schema, "tijdsloten"}.Sanitize()+
		" (soort, kanaal, starttijd, duur_minuten, capaciteit) VALUES ('lening', 'telefoon', $1, 15, $2) RETURNING id",
		at, o.bookSeats).Scan(&slot); err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: attempts, MaxConnsPerHost: attempts, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	body := fmt.Sprintf(`{"soort":"lening","tijdslotId":%d}`, slot)
	var (
		booked, full, other atomic.Int64
		firstErr            atomic.Value
		lat                 = make([]time.Duration, attempts)
		wg                  sync.WaitGroup
		gate                = make(chan struct{})
	)
	cpu0, pg0 := cpuTime(e.serverPID), postgresCPU()
	resetPeakRSS(e.serverPID)
	for k := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.server+"/v2/mijn/afspraken", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.bookTokens[k])
			req.Header.Set("X-Forwarded-For", clientAddr(k)) // each person from their own phone
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "storm-"+strconv.Itoa(k))
			<-gate
			t0 := time.Now()
			res, err := client.Do(req)
			var b []byte
			if err == nil {
				b, err = io.ReadAll(res.Body)
				res.Body.Close()
			}
			lat[k] = time.Since(t0)
			switch {
			case err != nil:
				other.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
			case res.StatusCode == http.StatusCreated:
				booked.Add(1)
			case res.StatusCode == http.StatusConflict && bytes.Contains(b, []byte("afspraak_slot_taken")):
				full.Add(1)
			default:
				other.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %.200s", res.StatusCode, b))
			}
		}()
	}
	var (
		profDone sync.WaitGroup
		stormEnd atomic.Bool
	)
	if base, file, ok := strings.Cut(prof, "|"); ok {
		profDone.Add(1)
		go func() {
			defer profDone.Done()
			for n := 0; !stormEnd.Load(); n++ {
				fetchProfile(ctx, base+"/debug/pprof/profile?seconds=1", fmt.Sprintf("%s.cpu.%d.pprof", file, n))
				if n == 0 {
					fetchProfile(ctx, base+"/debug/pprof/heap", file+".heap.pprof") // in the thick of it
				}
			}
		}()
	}
	t0 := time.Now()
	close(gate)
	wg.Wait()
	elapsed := time.Since(t0)
	cpu, pgCPU := cpuTime(e.serverPID)-cpu0, postgresCPU().since(pg0)
	stormEnd.Store(true)
	profDone.Wait()
	slices.Sort(lat)
	var rows, geboekt int64
	if err := e.admin.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{e.schema, "afspraken"}.Sanitize()+" WHERE tijdslot_id = $1", slot).Scan(&rows); err != nil {
		return err
	}
	if err := e.admin.QueryRow(ctx, "SELECT geboekt FROM "+pgx.Identifier{e.schema, "tijdsloten"}.Sanitize()+" WHERE id = $1", slot).Scan(&geboekt); err != nil {
		return err
	}
	verdict := "ok"
	if booked.Load() != int64(o.bookSeats) || rows != int64(o.bookSeats) || geboekt != int64(o.bookSeats) || other.Load() != 0 {
		verdict = "FAILED"
	}
	fmt.Printf("| booking | server: %d attempts at %d seats in %s | %.0f | | %s | %s | %d | %.2f | %s | %s | %s | |\n",
		attempts, o.bookSeats, elapsed.Round(time.Millisecond), float64(attempts)/elapsed.Seconds(), ms(lat[attempts/2]), ms(lat[min(attempts-1, attempts*99/100)]),
		other.Load(), cpu.Seconds()/elapsed.Seconds(), us(cpu/time.Duration(max(attempts, 1))), mb(peakRSS(e.serverPID)), us(pgCPU/time.Duration(max(attempts, 1))))
	fmt.Printf("|  | %s: %d booked (201), %d full (409 afspraak_slot_taken), %d other; the database holds %d appointments, geboekt %d | | | | | | | | | | |\n",
		verdict, booked.Load(), full.Load(), other.Load(), rows, geboekt)
	if s, ok := firstErr.Load().(string); ok {
		fmt.Printf("|  | first other answer: %s | | | | | | | | | | |\n", strings.ReplaceAll(s, "|", "/"))
	}
	return nil
}

// clientAddr is the client address of the i-th seeded token's owner (from 10.0.0.0/8).
func clientAddr(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
}
