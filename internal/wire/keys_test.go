package wire_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// build assembles the app on cfg (on a store migrated once per test).
func build(t *testing.T, cfg wire.Config) *wire.App {
	t.Helper()
	ctx := context.Background()
	st, err := wire.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := wire.Build(ctx, cfg, st, wire.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return a
}

func pseudonymUnder(root []byte, bsn string) string {
	m := hmac.New(sha256.New, auth.DeriveKey(root, auth.PurposePseudonym))
	m.Write([]byte(bsn))
	return "p-" + hex.EncodeToString(m.Sum(nil))[:16]
}

// The audit pseudonyms hang on PSEUDONYM_KEY alone: rotating SESSION_KEY leaves them unchanged.
func TestPseudonymKeySeparateFromSessionKey(t *testing.T) {
	const bsn = domain.BSN(yusufBSN)
	cfg := testenv.Config(t)
	cfg.PseudonymKey = strings.Repeat("p", 32)
	first := build(t, cfg).Service.Pseudonym(bsn)
	if want := pseudonymUnder([]byte(cfg.PseudonymKey), yusufBSN); first != want {
		t.Fatalf("pseudonym %s, want the HMAC under the key derived from PSEUDONYM_KEY (%s)", first, want)
	}
	if first == pseudonymUnder([]byte(cfg.SessionKey), yusufBSN) {
		t.Fatal("the pseudonym is keyed by the session key")
	}

	rotated := cfg
	rotated.SessionKey = strings.Repeat("r", 40)
	if got := build(t, rotated).Service.Pseudonym(bsn); got != first {
		t.Errorf("after rotating SESSION_KEY the pseudonym is %s, was %s", got, first)
	}
	other := cfg
	other.PseudonymKey = strings.Repeat("q", 32)
	if got := build(t, other).Service.Pseudonym(bsn); got == first {
		t.Error("another PSEUDONYM_KEY gives the same pseudonym")
	}
}

// In demo mode both keys are generated once, kept apart in the data folder and reused.
func TestDemoKeysGeneratedInDataFolder(t *testing.T) {
	const bsn = domain.BSN(yusufBSN)
	cfg := testenv.Config(t)
	cfg.SessionKey, cfg.PseudonymKey = "", ""
	first := build(t, cfg).Service.Pseudonym(bsn)

	sk, err := os.ReadFile(filepath.Join(cfg.DataDir, "session.key"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := os.ReadFile(filepath.Join(cfg.DataDir, "pseudonym.key"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sk) < 32 || len(pk) < 32 || string(sk) == string(pk) {
		t.Fatalf("session key %d bytes, pseudonym key %d bytes, equal %v: want two different keys of 32+", len(sk), len(pk), string(sk) == string(pk))
	}
	for _, name := range []string{"session.key", "pseudonym.key"} {
		fi, err := os.Stat(filepath.Join(cfg.DataDir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v, want 0600", name, err, fi.Mode().Perm())
		}
	}
	if want := pseudonymUnder(pk, yusufBSN); first != want {
		t.Errorf("pseudonym %s, want the one under pseudonym.key %s", first, want)
	}
	if got := build(t, cfg).Service.Pseudonym(bsn); got != first {
		t.Errorf("after a restart the pseudonym is %s, was %s", got, first)
	}
}

func metricsRequest(h http.Handler, auth string) *http.Response {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestMetricsAccess(t *testing.T) {
	token := strings.Repeat("m", 40)
	isMetrics := func(t *testing.T, res *http.Response) {
		t.Helper()
		body := testenv.ReadBody(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("status %d, want 200 with metrics: %.200s", res.StatusCode, body)
		}
	}
	refused := func(t *testing.T, res *http.Response) {
		t.Helper()
		body := testenv.ReadBody(t, res)
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
			t.Fatalf("status %d, want 401 without metrics: %.200s", res.StatusCode, body)
		}
		if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
		}
	}

	t.Run("open by default", func(t *testing.T) {
		a := build(t, testenv.Config(t))
		isMetrics(t, metricsRequest(a.Echo, ""))
		if a.Metrics != nil {
			t.Error("a separate metrics handler without METRICS_ADDR")
		}
	})

	t.Run("METRICS_TOKEN on the main listener", func(t *testing.T) {
		cfg := testenv.Config(t)
		cfg.MetricsToken = token
		a := build(t, cfg)
		for _, h := range []string{"", "Bearer", "Bearer ", "Bearer " + token[:39], "Bearer " + token + "x", "Basic " + token, "bearer" + token} {
			t.Run(h, func(t *testing.T) { refused(t, metricsRequest(a.Echo, h)) })
		}
		isMetrics(t, metricsRequest(a.Echo, "Bearer "+token))
	})

	t.Run("METRICS_ADDR: not on the main listener", func(t *testing.T) {
		cfg := testenv.Config(t)
		cfg.MetricsAddr = "127.0.0.1:0"
		a := build(t, cfg)
		if res := metricsRequest(a.Echo, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the main listener: status %d, want 404", res.StatusCode)
		}
		if a.Metrics == nil {
			t.Fatal("no metrics handler for METRICS_ADDR")
		}
		// The separate handler counts the main listener's requests.
		_ = testenv.NewBrowser(t, a.Echo).Get("/healthz")
		res := metricsRequest(a.Metrics, "")
		body := testenv.ReadBody(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `http_requests_total{method="GET",route="/healthz",status="200"}`) {
			t.Errorf("status %d, want the main listener's request counts: %.400s", res.StatusCode, body)
		}
	})

	t.Run("METRICS_ADDR with METRICS_TOKEN", func(t *testing.T) {
		cfg := testenv.Config(t)
		cfg.MetricsAddr, cfg.MetricsToken = "127.0.0.1:0", token
		a := build(t, cfg)
		refused(t, metricsRequest(a.Metrics, ""))
		refused(t, metricsRequest(a.Metrics, "Bearer nope"))
		isMetrics(t, metricsRequest(a.Metrics, "Bearer "+token))
	})
}
