package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/testenv"
)

// yusuf is a seeded persona.
const (
	yusufKey  = "yusuf"
	yusufBSN  = "930824623"
	yusufName = "Yusuf Demir"
)

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// demoEnv is a demo-mode environment on a fresh database of the dialect under test.
func demoEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{"MODE": "demo", "DATABASE_URL": testenv.DatabaseURL(t), "DATA_DIR": t.TempDir(), "DEMO_ON_POSTGRES": "yes"}
}

// logLines parses the JSON log lines in out; a line that is not JSON fails the test.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	return lines
}

func seeded(t *testing.T, out string) int {
	t.Helper()
	for _, l := range logLines(t, out) {
		if l["msg"] == "demo personas seeded" {
			n, ok := l["created"].(float64)
			if !ok {
				t.Fatalf("seed log line without a numeric created: %v", l)
			}
			return int(n)
		}
	}
	t.Fatalf("no \"demo personas seeded\" line in:\n%s", out)
	return 0
}

func TestMigrateCreatesSQLiteDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, getenv(map[string]string{"DATA_DIR": dir}), &out); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	fi, err := os.Stat(filepath.Join(dir, "inburgering.db"))
	if err != nil || fi.Size() == 0 {
		t.Fatalf("no SQLite database in DATA_DIR: %v", err)
	}
	found := false
	for _, l := range logLines(t, out.String()) {
		if l["msg"] == "migrations applied" && l["dialect"] == "sqlite" {
			found = true
		}
	}
	if !found {
		t.Errorf("no \"migrations applied\" log line:\n%s", out.String())
	}
	// Migrating again is a no-op.
	if err := run(context.Background(), []string{"migrate"}, getenv(map[string]string{"DATA_DIR": dir}), io.Discard); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	e := demoEnv(t)
	var first, second bytes.Buffer
	if err := run(context.Background(), []string{"seed"}, getenv(e), &first); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if n := seeded(t, first.String()); n == 0 {
		t.Fatalf("first seed created no personas")
	}
	if err := run(context.Background(), []string{"seed"}, getenv(e), &second); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	if n := seeded(t, second.String()); n != 0 {
		t.Errorf("second seed created %d personas, want 0", n)
	}
}

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		cause string
	}{
		{"unknown command", []string{"frobnicate"}, map[string]string{"DATA_DIR": t.TempDir()}, "frobnicate"},
		{"production without settings", []string{"migrate"}, map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/x"}, "SESSION_KEY"},
		{"production with the demo login", nil, map[string]string{"MODE": "production", "DEMO_LOGIN": "true"}, "DEMO_LOGIN"},
		{"bogus mode", nil, map[string]string{"MODE": "bogus"}, "MODE"},
		{"seed in production", []string{"seed"}, map[string]string{
			"DATABASE_URL": "postgres://nobody@127.0.0.1:1/x", "BASE_URL": "https://portal.example", "SESSION_KEY": strings.Repeat("k", 32), "PSEUDONYM_KEY": strings.Repeat("p", 32),
			"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}, "demo mode only"},
		{"bad DATABASE_URL", []string{"migrate"}, map[string]string{"MODE": "demo", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, getenv(tt.env), io.Discard)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if !strings.Contains(err.Error(), tt.cause) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line naming %s", err, tt.cause)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, getenv(map[string]string{"DATA_DIR": t.TempDir()}), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "usage:") {
		t.Errorf("help: %q", out.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// client is a browser over plain HTTP to the live server. The portal's cookies are Secure, which
// net/http/cookiejar only sends to https URLs, so it keeps them itself.
type client struct {
	t       *testing.T
	base    string
	http    *http.Client
	cookies map[string]*http.Cookie
}

func (c *client) do(method, path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range c.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return res, string(b)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) csrf(path string) string {
	c.t.Helper()
	res, body := c.do(http.MethodGet, path, nil)
	m := csrfField.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		c.t.Fatalf("GET %s: status %d, no CSRF token", path, res.StatusCode)
	}
	return m[1]
}

func TestServe(t *testing.T) {
	e := demoEnv(t)
	addr := freeAddr(t)
	e["LISTEN_ADDR"] = addr
	base := "http://" + addr
	logs := &testenv.LogBuffer{}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv(e), logs) }()

	c := &client{t: t, base: base, cookies: map[string]*http.Cookie{}, http: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	// Wait until alive and ready.
	deadline := time.Now().Add(30 * time.Second)
	for _, path := range []string{"/healthz", "/readyz"} {
		for {
			res, err := c.http.Get(base + path)
			if err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					break
				}
			}
			select {
			case err := <-done:
				t.Fatalf("run ended early: %v\nlogs:\n%s", err, logs.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never 200 (last error %v)\nlogs:\n%s", path, err, logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// The demo login and Mijn overzicht, over real HTTP.
	tok := c.csrf("/nl/inloggen")
	res, body := c.do(http.MethodPost, "/nl/inloggen/demo", url.Values{"_csrf": {tok}, "persona": {yusufKey}})
	if res.StatusCode != http.StatusSeeOther || c.cookies["sessie"] == nil {
		t.Fatalf("demo login: status %d: %s", res.StatusCode, body)
	}
	res, body = c.do(http.MethodGet, "/nl/mijn", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, yusufName) {
		t.Fatalf("/nl/mijn: status %d, name shown %v", res.StatusCode, strings.Contains(body, yusufName))
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on the response")
	}
	// Staff look the BSN up (it travels in a POST body) and someone puts it in URLs.
	tok = c.csrf("/nl/inloggen")
	if res, body := c.do(http.MethodPost, "/nl/inloggen/demo", url.Values{"_csrf": {tok}, "persona": {"medewerker"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff demo login: status %d: %s", res.StatusCode, body)
	}
	tok = c.csrf("/nl/medewerker")
	if res, body := c.do(http.MethodPost, "/nl/medewerker/opzoeken", url.Values{"_csrf": {tok}, "bsn": {yusufBSN}}); res.StatusCode != http.StatusOK || !strings.Contains(body, yusufName) {
		t.Fatalf("staff lookup: status %d", res.StatusCode)
	}
	for _, p := range []string{"/" + yusufBSN, "/nl/mijn/" + yusufBSN, "/auth/" + yusufBSN, "/v2/" + yusufBSN, "/static/" + yusufBSN + ".css", "/nl/mijn?bsn=" + yusufBSN} {
		c.do(http.MethodGet, p, nil)
	}

	// /metrics as Prometheus scrapes it (Accept-Encoding: gzip, decoded by the transport) and
	// uncompressed.
	for _, enc := range []string{"", "identity"} {
		req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("http_requests_total")) {
			t.Errorf("/metrics (Accept-Encoding %q): status %d, no http_requests_total in %.40q (Content-Encoding %q)",
				req.Header.Get("Accept-Encoding"), res.StatusCode, b, res.Header.Get("Content-Encoding"))
		}
		if bytes.Contains(b, []byte(yusufBSN)) {
			t.Error("/metrics contains the BSN")
		}
	}

	// Graceful shutdown when the context ends.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("run did not return after the context was cancelled")
	}
	if _, err := c.http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}

	out := logs.String()
	if strings.Contains(out, yusufBSN) {
		t.Errorf("the logs contain the BSN:\n%s", grepLines(out, yusufBSN))
	}
	requests := 0
	var msgs []string
	for _, l := range logLines(t, out) {
		msgs = append(msgs, fmt.Sprint(l["msg"]))
		if l["msg"] != "request" {
			continue
		}
		requests++
		if id, _ := l["request_id"].(string); id == "" {
			t.Errorf("request log line without request_id: %v", l)
		}
		if _, ok := l["route"]; !ok {
			t.Errorf("request log line without route: %v", l)
		}
	}
	if requests < 10 {
		t.Errorf("only %d request log lines", requests)
	}
	// Each start-up stage is logged, in order, and "listening" names the URL to open: without
	// BASE_URL, the address actually bound.
	stages := []string{"opening the database", "applying migrations", "seeding demo personas", "demo personas seeded", "listening", "shutting down"}
	at := 0
	for _, m := range msgs {
		if at < len(stages) && m == stages[at] {
			at++
		}
	}
	if at != len(stages) {
		t.Errorf("stage %q not logged in order; messages: %v", stages[min(at, len(stages)-1)], msgs)
	}
	for _, l := range logLines(t, out) {
		if l["msg"] == "listening" && l["url"] != base {
			t.Errorf("listening at url %v, want %s", l["url"], base)
		}
	}
}

func TestListenURL(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://localhost:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://localhost:8080"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41234}, "http://127.0.0.1:41234"},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 20), Port: 80}, "http://192.168.1.20:80"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080"},
	}
	for _, tt := range tests {
		if got := listenURL(tt.addr); got != tt.want {
			t.Errorf("listenURL(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}

// TestStartupErrorsAreOneLine: a data folder or database that cannot be used gives one line
// naming the path or host and the problem, never the driver's "out of memory (14)".
func TestStartupErrorsAreOneLine(t *testing.T) {
	aFile := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dbIsFolder := t.TempDir()
	if err := os.Mkdir(filepath.Join(dbIsFolder, "inburgering.db"), 0o700); err != nil {
		t.Fatal(err)
	}
	// A folder this user may not write: a read-only folder, or for root (who may write anywhere
	// on a normal file system) sysfs.
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(readOnly, 0o700) })
	if os.Geteuid() == 0 {
		readOnly = "/sys"
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"data folder not writable", map[string]string{"DATA_DIR": readOnly}, []string{readOnly, "not writable", "DATA_DIR"}},
		{"data folder cannot be made", map[string]string{"DATA_DIR": filepath.Join(readOnly, "sub")}, []string{filepath.Join(readOnly, "sub"), "cannot create the data folder"}},
		{"data folder is a file", map[string]string{"DATA_DIR": filepath.Join(aFile, "sub")}, []string{aFile, "not a directory"}},
		{"SQLite file is a folder", map[string]string{"DATA_DIR": dbIsFolder}, []string{filepath.Join(dbIsFolder, "inburgering.db"), "is a folder"}},
		{"unknown database host", map[string]string{"MODE": "demo", "DEMO_ON_POSTGRES": "yes", "DATABASE_URL": "postgres://u:geheim@db.example.invalid:5432/x"}, []string{`"db.example.invalid" not found`}},
		{"nobody listening", map[string]string{"MODE": "demo", "DEMO_ON_POSTGRES": "yes", "DATABASE_URL": "postgres://u:geheim@127.0.0.1:1/x?connect_timeout=5"}, []string{"127.0.0.1:1", "cannot be reached"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env["DATA_DIR"] == "/sys" || strings.HasPrefix(tt.env["DATA_DIR"], "/sys/") {
				if _, err := os.Stat("/sys"); err != nil {
					t.Skip("no /sys to stand for a folder root may not write")
				}
			}
			err := run(context.Background(), []string{"migrate"}, getenv(tt.env), io.Discard)
			if err == nil {
				t.Fatal("migrate succeeded")
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\t") || strings.Contains(msg, "out of memory") || strings.Contains(msg, "geheim") {
				t.Errorf("not one clear line: %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
		})
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A port already taken is an error from run, not a hang.
func TestServePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	e := demoEnv(t)
	e["LISTEN_ADDR"] = ln.Addr().String()
	logs := &testenv.LogBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), nil, getenv(e), logs) }()
	select {
	case err := <-done:
		var op *net.OpError
		if !errors.As(err, &op) {
			t.Fatalf("run: %v, want a listen error", err)
		}
		for _, l := range logLines(t, logs.String()) {
			if l["msg"] == "listening" {
				t.Errorf("\"listening\" logged although the port was taken: %v", l)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not fail on a taken port")
	}
}
