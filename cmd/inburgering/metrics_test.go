package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/testenv"
)

// METRICS_ADDR serves /metrics on a listener of its own, behind METRICS_TOKEN, and takes it off
// the main listener.
func TestServeMetricsAddr(t *testing.T) {
	e := demoEnv(t)
	addr, maddr := freeAddr(t), freeAddr(t)
	token := strings.Repeat("t", 40)
	e["LISTEN_ADDR"], e["METRICS_ADDR"], e["METRICS_TOKEN"] = addr, maddr, token
	logs := &testenv.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv(e), logs) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	get := func(url, bearer string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s1, _, err1 := get("http://"+addr+"/readyz", "")
		s2, _, err2 := get("http://"+maddr+"/metrics", token)
		if err1 == nil && err2 == nil && s1 == http.StatusOK && s2 == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not up: readyz %d %v, metrics %d %v\nlogs:\n%s", s1, err1, s2, err2, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if s, _, err := get("http://"+addr+"/metrics", token); err != nil || s != http.StatusNotFound {
		t.Errorf("/metrics on the main listener: %d %v, want 404", s, err)
	}
	if s, body, err := get("http://"+maddr+"/metrics", ""); err != nil || s != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics without the token: %d %v, want 401", s, err)
	}
	s, body, err := get("http://"+maddr+"/metrics", token)
	if err != nil || s != http.StatusOK || !strings.Contains(body, `route="/readyz"`) {
		t.Errorf("/metrics with the token: %d %v, want the main listener's counts:\n%.300s", s, err, body)
	}
}
