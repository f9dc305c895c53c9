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
// and p99 latency, errors, the CPU the server process used (cores busy) and its peak RSS.
//
// Profiles: overview (the logged-in "Mijn overzicht", a session cookie per request drawn from
// -sessions sessions of random inburgeraars), api (the own-data resources with bearer tokens),
// public (the home page), prearrival (the public pre-arrival pages in every language). The hooks
// declarations and booking are named but report "not built yet" until their profiles are written.
package main

import (
	"bufio"
	"bytes"
	"context"
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

	"github.com/inburgering/portal/internal/auth"
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
}

func main() {
	var o options
	var profiles, baseline string
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
	flag.StringVar(&baseline, "baseline", "", "internal: serve the bare net/http baseline on this address")
	flag.Parse()
	if baseline != "" {
		serveBaseline(baseline)
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
func serveBaseline(addr string) {
	page := []byte("<!DOCTYPE html><html lang=\"nl\"><head><title>Basis</title></head><body><p>Basis</p></body></html>\n")
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	fatal(http.ListenAndServe(addr, h))
}

// target is one request source of a profile; build returns the next request of virtual user vu.
type target struct {
	build func(rnd *rand.Rand) *http.Request
}

type profile struct {
	about string
	// make returns the target, or nil when the capability is not built yet.
	make func(e *env) *target
}

var catalogue = map[string]profile{
	"overview": {"logged-in Mijn overzicht (GET /nl/mijn, session cookie)", func(e *env) *target {
		return &target{func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+"/nl/mijn", nil)
			r.AddCookie(&http.Cookie{Name: "sessie", Value: e.sessions[rnd.IntN(len(e.sessions))]})
			return r
		}}
	}},
	"api": {"own-data API resources (GET /v2/mijn/…, bearer token)", func(e *env) *target {
		paths := []string{"/v2/mijn/inburgeringstermijn", "/v2/mijn/lening", "/v2/mijn/pip", "/v2/mijn/profiel", "/v2/mijn/facturen"}
		return &target{func(rnd *rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+paths[rnd.IntN(len(paths))], nil)
			r.Header.Set("Authorization", "Bearer "+e.tokens[rnd.IntN(len(e.tokens))])
			return r
		}}
	}},
	"public": {"public home page (GET /nl)", func(e *env) *target {
		return &target{func(*rand.Rand) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, e.server+"/nl", nil)
			return r
		}}
	}},
	// Hooks for the capabilities others are building; each needs its seed data and requests.
	"declarations": {"schools submitting hour declarations with idempotency keys", func(*env) *target { return nil }},
	"booking":      {"booking storm: thousands of concurrent attempts at a few slots", func(*env) *target { return nil }},
	"prearrival": {"public pre-arrival pages (GET /{taal}/naar-nederland/…, every language, returning reader)", func(e *env) *target {
		langs := []string{"nl", "en", "ar", "tr", "fa", "ti", "so", "fr", "ps"}
		pages := []string{"", "/examen-buitenland", "/na-aankomst", "/kosten", "/vragen", "/check"}
		return &target{func(rnd *rand.Rand) *http.Request {
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
	sessions, tokens, err := seed(ctx, admin, schema, persons, invoices, o.sessions)
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
	base := exec.Command(self, "-baseline", baseAddr)
	base.Stderr = os.Stderr
	if err := base.Start(); err != nil {
		return err
	}
	defer stop(base)
	if err := waitReady(ctx, "http://"+baseAddr+"/", 10*time.Second); err != nil {
		return err
	}

	e := &env{server: "http://" + server, baseline: "http://" + baseAddr, serverPID: srv.Process.Pid,
		baselinePID: base.Process.Pid, sessions: sessions, tokens: tokens}
	baseTarget := &target{func(*rand.Rand) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, e.baseline+"/", nil)
		return r
	}}

	load1, load5, _ := loadavg()
	fmt.Printf("\nmachine: %d CPU cores (GOMAXPROCS %d), %s; load average before the run %s, %s (1, 5 min)\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), load1, load5)
	fmt.Printf("volume: %d inburgeraars, %d invoices; %d connections, %s per measurement after %s warm-up; rate limiter counting: %v; server start-up on the seeded database: %s\n\n",
		persons, invoices, o.conns, o.duration, o.warmup, o.rateLim, startup.Round(time.Millisecond))
	fmt.Println("| profile | target | req/s | ratio | p50 | p99 | errors | CPU (cores) | CPU per request | peak RSS |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range o.profiles {
		p := catalogue[name]
		t := p.make(e)
		if t == nil {
			fmt.Printf("| %s | not built yet: %s | | | | | | | | |\n", name, p.about)
			continue
		}
		b := measure(ctx, baseTarget, e.baselinePID, o)
		r := measure(ctx, t, e.serverPID, o)
		fmt.Printf("| %s | bare net/http | %.0f | 1 | %s | %s | %d | %.2f | %s | %s |\n", name, b.rps, ms(b.p50), ms(b.p99), b.errors,
			b.cpu, us(b.cpuPerReq()), mb(b.rss))
		fmt.Printf("| %s | server | %.0f | %.3f× | %s (%.1f×) | %s (%.1f×) | %d | %.2f | %s (%.0f×) | %s |\n", name, r.rps, r.rps/b.rps,
			ms(r.p50), ratio(r.p50, b.p50), ms(r.p99), ratio(r.p99, b.p99), r.errors, r.cpu,
			us(r.cpuPerReq()), ratio(r.cpuPerReq(), b.cpuPerReq()), mb(r.rss))
		if r.firstErr != "" {
			fmt.Printf("|  | first error: %s | | | | | | | | |\n", strings.ReplaceAll(r.firstErr, "|", "/"))
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
}

// cpuPerReq is the CPU time the process spent per request; on a machine shared with other work
// it is steadier than the throughput (PostgreSQL's own CPU is not in it).
func (r result) cpuPerReq() time.Duration {
	if r.rps <= 0 {
		return 0
	}
	return time.Duration(r.cpu / r.rps * float64(time.Second))
}

func measure(ctx context.Context, t *target, pid int, o options) result {
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
				req := t.build(rnd).WithContext(ctx)
				t0 := time.Now()
				res, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s %s → %d", req.Method, req.URL.Path, res.StatusCode)
					}
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
	cpu0 := cpuTime(pid)
	t0 := time.Now()
	measuring.Store(true)
	time.Sleep(o.duration)
	measuring.Store(false)
	elapsed := time.Since(t0)
	cpu1 := cpuTime(pid)
	rss := peakRSS(pid)
	stopAll.Store(true)
	wg.Wait()
	slices.Sort(all)
	r := result{rps: float64(len(all)) / elapsed.Seconds(), errors: errs.Load(), rss: rss,
		cpu: (cpu1 - cpu0).Seconds() / elapsed.Seconds()}
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
func seed(ctx context.Context, db *pgx.Conn, schema string, persons, invoices, sessions int) ([]string, []string, error) {
	const firstID = 1_000_000
	rnd := rand.New(rand.NewPCG(12, 12))
	groups := []string{"gezinsmigrant", "overige_migrant", "asielstatushouder"}
	gemeenten := []string{"Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere"}
	names := []string{"Amal", "Dawit", "Samira", "Yusuf", "Olena", "Kidane", "Ahmad", "Goran", "Lina", "Farah", "Mehmet", "Aisha"}
	bsn := 50_000_000
	var rows [][]any
	for i := range persons {
		var b string
		for {
			bsn++
			if s, ok := elevenTest(bsn); ok {
				b = s
				break
			}
		}
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
		return nil, nil, fmt.Errorf("inburgeraars: %w", err)
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
		return nil, nil, fmt.Errorf("facturen: %w", err)
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
		return nil, nil, fmt.Errorf("sessies: %w", err)
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{schema, "api_tokens"},
		[]string{"hash", "inburgeraar_id", "aangemaakt_op", "verloopt_op"}, pgx.CopyFromRows(trows)); err != nil {
		return nil, nil, fmt.Errorf("api_tokens: %w", err)
	}
	for _, t := range []string{"inburgeraars", "facturen", "sessies", "api_tokens"} {
		if _, err := db.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, t}.Sanitize()); err != nil {
			return nil, nil, err
		}
	}
	if len(sess) == 0 {
		return nil, nil, errors.New("no sessions seeded")
	}
	return sess, toks, nil
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
